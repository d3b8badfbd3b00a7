// `npm run docs:errors`: rewrites the table of docs/errors.md from the catalogue.
import { readFile, writeFile } from 'node:fs/promises';
import { docsFile, withTable } from './docs-file.js';

await writeFile(docsFile, withTable(await readFile(docsFile, 'utf8')));
