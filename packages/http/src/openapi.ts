import type { RouteOptions } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';

/** RFC 9457 problem details, as `sendProblem` writes them; registered in every service app as `Problem`. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    code: Type.String(),
    request_id: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

/** A response schema entry for a refusal: `response: { 404: problemRef }`. */
export const problemRef = Type.Ref(ProblemSchema);

/**
 * How a refusal is documented (and serialised): problem details, as application/problem+json. For
 * `onRoute` hooks; routes themselves write `problemRef`, which keeps their reply types checked.
 */
export const problemResponse = {
  description: 'Refused: RFC 9457 problem details',
  content: { 'application/problem+json': { schema: { $ref: 'Problem' } } },
};
const isProblemRef = (schema: unknown): boolean => (schema as { $ref?: unknown } | undefined)?.$ref === 'Problem';

/** `{ 404: problemRef, 409: problemRef }` for route-specific refusals. */
export const problemResponses = (...statuses: readonly number[]): Record<number, TSchema> =>
  Object.fromEntries(statuses.map((s) => [s, problemRef]));

/**
 * Marks a preHandler as one that refuses with `statuses` (e.g. a role guard with 403), so that the
 * routes using it document those answers without repeating them.
 */
export const refusesWith = <F extends object>(handler: F, ...statuses: readonly number[]): F =>
  Object.assign(handler, { [refusals]: statuses });

const refusals = Symbol.for('ates.http.refusals');

/**
 * The statuses every route can answer besides its own, by what the route accepts: a body (400 bad
 * JSON or schema, 413 too large, 415 not JSON), a query or path parameters (400), a guard marked
 * with `refusesWith`. 500 is always possible: a bug, or a database that went away.
 */
const sharedStatuses = (route: RouteOptions): number[] => {
  const methods = [route.method].flat();
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const hasBody = methods.some((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m));
  const guards = [route.onRequest, route.preValidation, route.preHandler]
    .flat()
    .flatMap((h) => ((h as Record<symbol, unknown> | undefined)?.[refusals] as number[] | undefined) ?? []);
  return [...(hasBody ? [400, 413, 415] : []), ...(schema.querystring || schema.params ? [400] : []), ...guards, 500];
};

const int32 = { minimum: -2_147_483_648, maximum: 2_147_483_647 };

/**
 * An integer query or path parameter without bounds gets those of a 32-bit integer: a page number
 * like `1e18` is refused with 400 instead of overflowing a database offset.
 */
const bounded = (schema: unknown): unknown => {
  const object = schema as { properties?: Record<string, Record<string, unknown>> } | undefined;
  if (!object?.properties) return schema;
  const properties = Object.fromEntries(
    Object.entries(object.properties).map(([name, p]) => [
      name,
      p.type === 'integer' ? { ...p, minimum: p.minimum ?? int32.minimum, maximum: p.maximum ?? int32.maximum } : p,
    ]),
  );
  return { ...object, properties };
};

/**
 * An `onRoute` hook: every documented route lists, besides its own answers, every refusal it can
 * send (see `sharedStatuses`) as problem details — OpenAPI then says everything a client can get.
 * Also bounds its integer parameters.
 */
export const documentRefusals = (route: RouteOptions): void => {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  if (schema.hide === true) return;
  const own = Object.fromEntries(
    Object.entries((schema.response ?? {}) as Record<string, unknown>).map(([status, response]) => [
      status,
      isProblemRef(response) ? problemResponse : response,
    ]),
  );
  const shared = Object.fromEntries(sharedStatuses(route).map((s) => [s, problemResponse]));
  route.schema = {
    ...schema,
    ...(schema.querystring ? { querystring: bounded(schema.querystring) } : {}),
    ...(schema.params ? { params: bounded(schema.params) } : {}),
    response: { ...shared, ...own },
  } as RouteOptions['schema'];
};
