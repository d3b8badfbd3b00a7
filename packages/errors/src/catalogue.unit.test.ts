import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { AppError, catalogue, categories, configError, refuse, validationError } from './index.js';
import { docsFile, tableIn } from './docs-file.js';
import { errorsTable } from './docs.js';

// As fastify's test/internals/errors.test.js does for lib/errors.js: every code of the catalogue
// is documented, with the status it is answered with, and nothing else is.
describe('the refusal catalogue', () => {
  it('is the table of docs/errors.md (npm run docs:errors rewrites it)', async () => {
    expect(tableIn(await readFile(docsFile, 'utf8'))).toBe(errorsTable());
  });

  it('names every code <domain>.<what> in lower case, with a known category and a sentence', () => {
    for (const [code, spec] of Object.entries(catalogue)) {
      expect(code).toMatch(/^[a-z][a-z_]*\.[a-z][a-z_]*$/);
      expect(Object.keys(categories)).toContain(spec.category);
      expect(spec.message).toMatch(/^[A-Z].*[.)]$/);
    }
  });

  it('gives an error its code, its category, its status and the catalogue sentence by default', () => {
    const error = refuse('task.already_done');
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'task.already_done', category: 'conflict', status: 409 });
    expect(error.message).toBe(catalogue['task.already_done'].message);
    expect(refuse('account.email_taken', 'An account with the email a@b.c already exists.').message).toContain('a@b.c');
  });

  it('builds validation and configuration errors one way each', () => {
    const invalid = validationError([{ field: 'body.title', message: 'is required' }]);
    expect(invalid).toMatchObject({ code: 'request.invalid', status: 400, issues: [{ field: 'body.title' }] });
    expect(invalid.message).toBe('Invalid input: body.title is required.');
    expect(configError('PORT must be a number.')).toMatchObject({ code: 'config.invalid', category: 'config' });
  });
});
