import { configError } from '@ates/errors';
import type { EventSchemaFile, JsonObject } from '@ates/schema-registry';

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Keywords of an event file besides what it adds to the envelope's properties. */
const eventKeywords = new Set(['$schema', '$id', '$ref', 'title', 'description', 'type', 'properties']);

/**
 * One property of the envelope narrowed by the event (event_name's `const`, data's fields). Both
 * apply to a value, so their keywords are merged; a keyword both give differently would change
 * what is valid, so it is refused rather than guessed (annotations: the event's wins).
 */
const mergeProperty = (file: string, name: string, envelope: JsonObject, event: JsonObject): JsonObject => {
  const merged: JsonObject = { ...envelope };
  for (const [keyword, value] of Object.entries(event)) {
    const clash = keyword in envelope && !same(envelope[keyword], value);
    if (clash && keyword !== 'description' && keyword !== 'title') {
      throw configError(
        `schema ${file}: ${name}.${keyword} differs from the envelope's; the catalog cannot merge them`,
      );
    }
    merged[keyword] = value;
  }
  return merged;
};

/**
 * The whole event of one version as one self-contained schema: the envelope's properties with the
 * event's narrowing merged in, no `$ref`, no `$schema` or `$id`. The registry's files reference the
 * envelope (`"$ref": "../../envelope.json"` beside their own keywords, JSON Schema 2020-12); an
 * AsyncAPI 3.0 payload is a draft-07 schema, where a `$ref` hides its siblings, so the reference
 * is resolved rather than kept.
 */
export const resolvePayload = (envelope: JsonObject, file: EventSchemaFile): JsonObject => {
  const { schema, path } = file;
  const unknown = Object.keys(schema).filter((keyword) => !eventKeywords.has(keyword));
  if (unknown.length > 0) throw configError(`schema ${path}: the catalog does not know ${unknown.join(', ')}`);
  if (typeof schema['$ref'] !== 'string' || !schema['$ref'].endsWith('envelope.json')) {
    throw configError(`schema ${path} must reference the envelope`);
  }
  if (schema['type'] !== envelope['type']) throw configError(`schema ${path}: its type differs from the envelope's`);
  const base = envelope['properties'];
  const own = schema['properties'];
  if (!isObject(base) || !isObject(own)) throw configError(`schema ${path}: properties missing`);
  for (const name of Object.keys(own)) {
    if (!(name in base)) throw configError(`schema ${path}: ${name} is not an envelope field`);
  }
  const properties = Object.fromEntries(
    Object.entries(base).map(([name, property]) => {
      const narrowed = own[name];
      if (!isObject(property) || (narrowed !== undefined && !isObject(narrowed))) {
        throw configError(`schema ${path}: ${name} is not a schema`);
      }
      return [name, narrowed ? mergeProperty(path, name, property, narrowed) : property];
    }),
  );
  return {
    title: schema['title'],
    description: schema['description'],
    type: envelope['type'],
    properties,
    required: envelope['required'],
    additionalProperties: envelope['additionalProperties'],
  };
};
