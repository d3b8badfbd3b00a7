// Lint rules: typescript-eslint's recommended set plus the conventions this repository keeps:
// explicit `import type`, no floating promises (type-aware: a promise nobody awaits is work that
// can be lost), and no service importing another service's code (tools/eslint/service-boundaries.js).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import ates from './tools/eslint/service-boundaries.js';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.ates/**', '**/*.generated.ts', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { ates },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'smart'],
      'ates/service-boundaries': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['bin/**/*.js', 'packages/cli/**/*.ts', '**/bench/**/*.ts', '.ci/**', 'tools/**/*.js'],
    rules: { 'no-console': 'off' },
  },
);
