import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configError } from '@ates/errors';
import type { AsyncApiDocument } from './asyncapi.js';

/**
 * The checked-in catalog, rewritten by `npm run docs:events`. Services serve this file rather
 * than generate it: generating needs every service's definition, and a process that serves the
 * tracker should not load the others' code. A unit test keeps it equal to what the code declares.
 */
export const catalogFile = fileURLToPath(new URL('../../../docs/asyncapi.json', import.meta.url));

/** The document as the file holds it: two-space JSON and a final newline, so diffs stay readable. */
export const serializeCatalog = (document: AsyncApiDocument): string => `${JSON.stringify(document, null, 2)}\n`;

/** Reads the checked-in catalog; a missing or foreign file is a `config` error naming the fix. */
export const readCatalogFile = (file: string = catalogFile): AsyncApiDocument => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw configError(`Cannot read the event catalog ${file}; run \`npm run docs:events\`.`, error);
  }
  if ((parsed as Partial<AsyncApiDocument> | null)?.asyncapi !== '3.0.0') {
    throw configError(`${file} is not an AsyncAPI 3.0.0 document; run \`npm run docs:events\`.`);
  }
  return parsed as AsyncApiDocument;
};
