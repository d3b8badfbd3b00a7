import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isSafeText, looseNumberIssues, strictUuid } from '@ates/http';
import type { JsonSchema } from './openapi.js';

/**
 * Says whether a request part is one the service must accept, from the service's own document
 * and the rules every aTES service applies on top (docs/security.md): bodies are not coerced,
 * query and path values are read from text, `uuid` is the plain spelling, and no string holds a
 * NUL or an unpaired surrogate. A part the oracle calls invalid must be refused with 400; one it
 * calls valid may still be refused by a rule the document cannot state (an email already taken).
 */
const build = (coerceTypes: false | 'array') => {
  const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes, useDefaults: true });
  addFormats.default(ajv);
  ajv.addFormat('uuid', strictUuid);
  return ajv;
};

const forBodies = build(false);
const forText = build('array');
const compiled = new Map<Ajv, WeakMap<object, ValidateFunction>>();

const compile = (ajv: Ajv, schema: JsonSchema): ValidateFunction => {
  const cache = compiled.get(ajv) ?? new WeakMap<object, ValidateFunction>();
  compiled.set(ajv, cache);
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  return validate;
};

const allSafe = (value: unknown): boolean => {
  if (typeof value === 'string') return isSafeText(value);
  if (Array.isArray(value)) return value.every(allSafe);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).every(([k, v]) => isSafeText(k) && allSafe(v));
  return true;
};

/** Whether a JSON body is valid for `schema` (`undefined`: none sent). */
export const validBody = (schema: JsonSchema | undefined, required: boolean, body: unknown): boolean => {
  if (!schema) return allSafe(body);
  if (body === undefined) return !required;
  return allSafe(body) && compile(forBodies, schema)(structuredClone(body));
};

/** Whether text parameters (query or path; a value may repeat, as an array) are valid for `schema`. */
export const validText = (schema: JsonSchema | undefined, values: Record<string, string | string[]>): boolean => {
  if (!allSafe(values)) return false;
  if (!schema) return true;
  if (looseNumberIssues(schema, values, '').length > 0) return false;
  // Fastify's validator sees path values already decoded, and parameters the schema does not know
  // may or may not be refused (the document does not say): the oracle judges the known ones.
  const known = Object.keys((schema.properties ?? {}) as object);
  const judged = Object.fromEntries(Object.entries(values).filter(([k]) => known.includes(k)));
  return compile(forText, schema)(structuredClone(judged));
};
