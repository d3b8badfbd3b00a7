import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { deferredCompiles } from './deferred-compile.js';

const schema = {
  type: 'object',
  properties: { limit: { type: 'integer', default: 20 } },
  additionalProperties: false,
} as const;

describe('deferredCompiles', () => {
  it('compiles a validator at its first use, and it then validates as Ajv does, errors included', () => {
    const deferred = deferredCompiles();
    let compiles = 0;
    const validate = deferred.validator('GET /x querystring', () => {
      compiles += 1;
      return new Ajv({ allErrors: true, useDefaults: true }).compile(schema);
    });
    expect(compiles).toBe(0);
    expect(deferred.pending()).toBe(1);
    // Fastify reads schemaEnv before calling, to decide whether to pass the parent object.
    expect(validate.schemaEnv).toBeDefined();
    expect(compiles).toBe(1);
    const data: Record<string, unknown> = {};
    expect(validate(data)).toBe(true);
    expect(data).toEqual({ limit: 20 });
    expect(validate({ limit: 'many' })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/limit', keyword: 'type' });
    expect(validate({ other: 1 })).toBe(false);
    expect(compiles).toBe(1);
    expect(deferred.pending()).toBe(0);
  });

  it('compiles what is still waiting with compileAll, and reports a schema that does not compile', async () => {
    const deferred = deferredCompiles();
    const ajv = new Ajv();
    const used = deferred.serializer('GET /a 200 response', () => (data: unknown) => JSON.stringify(data));
    deferred.validator('GET /b querystring', () => ajv.compile(schema));
    deferred.validator('GET /c querystring', () => ajv.compile({ type: 'no-such-type' }));
    expect(used({ a: 1 })).toBe('{"a":1}');
    const reported: unknown[] = [];
    const compiled = await deferred.compileAll({ error: (fields: unknown) => reported.push(fields) });
    expect(compiled).toBe(1);
    expect(deferred.pending()).toBe(0);
    expect(reported).toEqual([expect.objectContaining({ schema: 'GET /c querystring' })]);
  });
});
