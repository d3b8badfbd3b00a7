import AjvCompiler from '@fastify/ajv-compiler';
import {
  SerializerSelector,
  type Options as SerializerOptions,
  type RouteDefinition,
} from '@fastify/fast-json-stringify-compiler';
import type { FastifyRequest, FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { validationError, type FieldIssue } from '@ates/errors';
import type { DeferredCompiles } from './deferred-compile.js';

/**
 * How every service checks what it is sent, before any handler runs:
 *
 * - Bodies are JSON and their types are what the schema says: nothing is coerced (`{"title": 42}`
 *   is refused, not saved as "42"; `["manager"]` is not `"manager"`). Query strings and path
 *   parameters are text by nature, so there numbers and booleans are parsed from their text.
 * - A number in a query or path is written in digits (`-12`, `3.5`, `1e3` for non-integers): Ajv's
 *   own coercion also takes `Infinity` (which then skips `minimum` and `maximum`), `0x10` and
 *   ` 3`, so those are refused before it sees them.
 * - `format: 'uuid'` means exactly `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (ajv-formats also takes
 *   `urn:uuid:…`, which PostgreSQL's uuid type does not).
 * - No string anywhere in a body, query or path may hold a NUL character (PostgreSQL cannot store
 *   it) or an unpaired UTF-16 surrogate (not Unicode: it cannot be stored as UTF-8 or be part of a
 *   JSON event), whatever the route's schema says — routes without one included.
 */
export const strictUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const shared = { removeAdditional: false, allErrors: true, useDefaults: true } as const;
const onCreate = (ajv: { addFormat(name: string, format: RegExp): unknown }): void => {
  ajv.addFormat('uuid', strictUuid);
};

/**
 * Fastify's `schemaController.compilersFactory.buildValidator`: one Ajv for bodies (no type
 * coercion) and one for everything that arrives as text (querystring, params, headers). Each
 * route's validators compile on first use (`deferred`).
 */
export const validatorFactory = (deferred: DeferredCompiles) => {
  // One pool per app, as Fastify's own factory has: contexts with the same shared schemas share
  // their Ajv instances, which are made when a first route of theirs is validated.
  const pool = AjvCompiler();
  return (externalSchemas: Record<string, unknown>): FastifySchemaCompiler<unknown> => {
    const schemas = externalSchemas as Parameters<typeof pool>[0];
    // The pool's compilers take the route definition ({ schema, httpPart, … }), whatever their types say.
    type Compile = (route: unknown) => ReturnType<FastifySchemaCompiler<unknown>>;
    const compilerFor = (httpPart: string | undefined): Compile =>
      pool(schemas, {
        customOptions: { ...shared, coerceTypes: httpPart === 'body' ? false : 'array' },
        onCreate,
      }) as unknown as Compile;
    return (route) =>
      deferred.validator(`${route.method} ${route.url} ${route.httpPart}`, () =>
        compilerFor(route.httpPart)(route),
      ) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
};

/**
 * Fastify's `compilersFactory.buildSerializer`: its own (fast-json-stringify), each response
 * schema compiled on first use. Every compile starts from the shared schemas as given (Fastify's
 * own factory drops a route's schema from them for the compiles that follow it, which would make
 * the outcome depend on the order in which routes are first reached).
 */
export const serializerFactory =
  (deferred: DeferredCompiles) =>
  (externalSchemas: unknown, serializerOptions: SerializerOptions | undefined): FastifySerializerCompiler<unknown> =>
  (route) =>
    deferred.serializer(`${route.method} ${route.url} ${route.httpStatus ?? ''} response`, () =>
      SerializerSelector()(externalSchemas, serializerOptions)(route as RouteDefinition),
    );

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const unsafe = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `value` can be stored and sent on as text: no NUL, no unpaired surrogate. */
export const isSafeText = (value: string): boolean => !unsafe.test(value);

const maxDepth = 32;

/** Every string (and object key) under `value` that is not safe text, by field path. */
const unsafeFields = (value: unknown, path: string, out: FieldIssue[], depth = 0): FieldIssue[] => {
  if (typeof value === 'string') {
    if (!isSafeText(value))
      out.push({ field: path, message: 'must not contain NUL characters or unpaired surrogates' });
  } else if (Array.isArray(value)) {
    if (depth < maxDepth) value.forEach((item, i) => unsafeFields(item, `${path}.${i}`, out, depth + 1));
  } else if (typeof value === 'object' && value !== null && depth < maxDepth) {
    for (const [key, item] of Object.entries(value)) {
      if (!isSafeText(key))
        out.push({ field: path, message: 'has a field name with NUL characters or unpaired surrogates' });
      else unsafeFields(item, `${path}.${key}`, out, depth + 1);
    }
  }
  return out;
};

const numeral = { integer: /^-?\d+$/, number: /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/ } as const;

/** Query or path values of integer or number properties of `schema` not written as plain numerals. */
export const looseNumberIssues = (schema: unknown, values: unknown, part: string): FieldIssue[] => {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties ?? {};
  const given = (values ?? {}) as Record<string, unknown>;
  return Object.entries(properties).flatMap(([name, property]) => {
    const type = property.type;
    if ((type !== 'integer' && type !== 'number') || given[name] === undefined) return [];
    const texts = [given[name]].flat();
    const plain = texts.every((t) => typeof t === 'string' && numeral[type].test(t) && Number.isFinite(Number(t)));
    return plain ? [] : [{ field: `${part}.${name}`, message: `must be ${type === 'integer' ? 'integer' : 'number'}` }];
  });
};

/**
 * A `preValidation` hook: refuses (400, naming each field) any request carrying unsafe text, or a
 * number in its query or path that is not a plain numeral.
 */
export const refuseUnsafeText = async (request: FastifyRequest): Promise<void> => {
  const schema = (request.routeOptions.schema ?? {}) as { querystring?: unknown; params?: unknown };
  const issues = [
    ...unsafeFields(request.params, 'params', []),
    ...unsafeFields(request.query, 'querystring', []),
    ...unsafeFields(request.body, 'body', []),
    ...looseNumberIssues(schema.params, request.params, 'params'),
    ...looseNumberIssues(schema.querystring, request.query, 'querystring'),
  ];
  if (issues.length > 0)
    throw validationError(issues, {
      message: `Invalid request: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`,
    });
};
