import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, refuse } from '@ates/errors';
import { problemResponse, refusesWith } from '@ates/http';
import type { Role } from '@ates/roles';
import type { Caller } from './caller.js';
import type { TokenVerifier } from './verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Who sent the request, from their access token. Set on every route registered in a context
     * where `authenticate` was called; such a route never runs without it.
     */
    caller: Caller;
  }
}

const realm = 'Bearer realm="ates"';

/** The token of an `Authorization: Bearer …` header, or undefined. */
export const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([\w.~+/-]+=*) *$/i.exec(header);
  return match?.[1];
};

const refuseToken = (reply: FastifyReply, error: AppError): never => {
  // RFC 6750 §3: say which scheme is expected, and why the token given was refused.
  const detail = error.message.replaceAll('"', "'");
  reply.header(
    'www-authenticate',
    error.category === 'unauthenticated' && error.code !== 'auth.token_missing'
      ? `${realm}, error="invalid_token", error_description="${detail}"`
      : realm,
  );
  throw error;
};

/**
 * Makes every route registered after this call, in this Fastify context (and its children),
 * require a valid access token and get `request.caller`. Call it inside the plugin that
 * registers the API routes, so routes outside (health, docs, dashboard pages) stay untouched:
 *
 *   await app.register(async (api) => {
 *     authenticate(api, verifier);
 *     api.get('/api/tasks', { preHandler: requireRole('manager', 'admin') }, handler);
 *   });
 *
 * A refused token is answered 401 with problem details naming the reason; the token itself is
 * never logged (the logger redacts the Authorization header).
 */
// Any Fastify instance, whatever its logger and type provider.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const authenticate = (app: FastifyInstance<any, any, any, any, any>, verifier: TokenVerifier): void => {
  if (!app.hasRequestDecorator('caller')) app.decorateRequest('caller', undefined as unknown as Caller);
  app.addHook('onRoute', (route) => {
    // Documented: 401 for a missing or refused token, 503 while no key to check it can be had.
    const response = (route.schema as { response?: Record<string, unknown> } | undefined)?.response;
    route.schema = {
      ...route.schema,
      security: [{ bearer: [] }],
      response: { 401: problemResponse, 503: problemResponse, ...response },
    } as typeof route.schema;
  });
  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request);
    if (token === undefined) {
      return refuseToken(
        reply,
        refuse(
          'auth.token_missing',
          request.headers.authorization === undefined
            ? 'Missing access token: send Authorization: Bearer <token>.'
            : 'Missing access token: the Authorization header is not "Bearer <token>".',
        ),
      );
    }
    try {
      request.caller = await verifier.verify(token);
    } catch (error) {
      if (error instanceof AppError && error.category === 'unauthenticated') return refuseToken(reply, error);
      throw error;
    }
  });
};

/**
 * A preHandler that lets only callers with one of `allowed` roles through; anyone else gets 403.
 * Use it on routes of an `authenticate`d context: `{ preHandler: requireRole('admin') }`.
 */
export const requireRole = (...allowed: readonly Role[]) =>
  // A plain function of the request (no `this`), so it fits any app's route options whatever its
  // logger and type provider. Marked, so that the routes using it document their 403.
  refusesWith(async (request: Pick<FastifyRequest, 'caller'>, _reply?: unknown): Promise<void> => {
    const caller = request.caller as Caller | undefined;
    if (!caller) throw refuse('auth.token_missing');
    if (!allowed.includes(caller.role))
      throw refuse('auth.role_required', `This needs the role ${allowed.join(' or ')}; yours is ${caller.role}.`);
  }, 403);
