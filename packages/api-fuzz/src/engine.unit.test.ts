import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documents, operationsOf, type JsonSchema, type OpenApiDocument } from './openapi.js';
import { validBody, validText } from './oracle.js';
import { oddJsonValues, oddUuids, validValue } from './values.js';

// The fuzzer's own parts: what it generates as valid is valid by the rules it judges by, and what
// it calls odd is refused by them. A fuzzer that sent only invalid requests would test nothing.

const newThing: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'owner', 'size'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 20, pattern: '^[^\\[\\]]*[^\\[\\]\\s][^\\[\\]]*$' },
    key: { anyOf: [{ type: 'string', pattern: '^[A-Z][A-Z0-9]*-[0-9]+$', maxLength: 50 }, { type: 'null' }] },
    owner: { type: 'string', format: 'uuid' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    size: { type: 'integer', minimum: 1, maximum: 100 },
    kind: {
      anyOf: [
        { const: 'a', type: 'string' },
        { const: 'b', type: 'string' },
      ],
    },
    uris: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', minLength: 1 } },
    note: { type: 'string', maxLength: 30 },
  },
};
const changes: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { a: { type: 'string' }, b: { type: 'boolean' } },
};

describe('the fuzzer', () => {
  it('generates bodies its oracle accepts, from any schema shape aTES uses', async () => {
    for (const schema of [newThing, changes])
      fc.assert(
        fc.property(validValue(schema), (body) => validBody(schema, true, body)),
        { numRuns: 200 },
      );
  });

  it('calls odd values odd: NUL, unpaired surrogates, wrong types, too long, odd UUIDs', () => {
    const title = (newThing.properties as Record<string, JsonSchema>).title as JsonSchema;
    const base = { title: 'ok', owner: '6f1c1c8e-8f4e-4b8e-9b53-0d8a5b0c1a11', size: 3 };
    const accepted = oddJsonValues(title).filter((value) => validBody(newThing, true, { ...base, title: value }));
    // Odd but valid: a title of spaces around a word, an emoji, a control character is still text.
    expect(accepted.every((v) => typeof v === 'string' && /[^\s[\]]/.test(v) && !/[\0[\]]/.test(v))).toBe(true);
    for (const uuid of oddUuids) expect(validBody(newThing, true, { ...base, owner: uuid }), uuid).toBe(false);
    expect(validBody(newThing, true, { ...base, size: '3' })).toBe(false);
    expect(validBody(newThing, true, { ...base, title: ['ok'] })).toBe(false);
    expect(validBody(newThing, true, { ...base, note: 'a\u0000b' })).toBe(false);
    expect(validBody(newThing, true, { ...base, note: 'x\ud800' })).toBe(false);
    expect(validBody(newThing, true, { ...base, extra: 1 })).toBe(false);
    expect(validBody(newThing, true, undefined)).toBe(false);
  });

  it('reads query and path values as text, as the services do', () => {
    const query: JsonSchema = {
      type: 'object',
      properties: {
        page: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
        id: { type: 'string', format: 'uuid' },
      },
    };
    expect(validText(query, { page: '3' })).toBe(true);
    expect(validText(query, { page: '1e18' })).toBe(false);
    expect(validText(query, { page: '1.5' })).toBe(false);
    expect(validText(query, { id: `urn:uuid:6f1c1c8e-8f4e-4b8e-9b53-0d8a5b0c1a11` })).toBe(false);
    expect(validText(query, { id: 'x\u0000' })).toBe(false);
  });

  it('reads operations out of an OpenAPI document, references resolved', () => {
    const doc: OpenApiDocument = {
      components: { schemas: { Thing: { $id: 'Thing', ...newThing } } },
      paths: {
        '/things/{id}': {
          post: {
            parameters: [
              { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
              { name: 'dry', in: 'query', schema: { type: 'boolean' } },
            ],
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
            },
            responses: { '201': {}, '400': {}, '4XX': {} },
            security: [{ bearer: [] }],
          },
        },
      },
    };
    const [operation] = operationsOf(doc);
    expect(operation).toMatchObject({ method: 'POST', path: '/things/{id}', bodyRequired: true, secured: true });
    expect(operation?.body).toEqual(newThing);
    expect(operation?.params).toMatchObject({ required: ['id'] });
    expect(documents(operation!, 201)).toBe(true);
    expect(documents(operation!, 409)).toBe(true);
    expect(documents(operation!, 500)).toBe(false);
  });
});
