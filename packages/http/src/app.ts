import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { configError, refuse } from '@ates/errors';
import type { Logger } from '@ates/logger';
import { runInSpan } from '@ates/trace-context';
import { documentRefusals, problemResponses, ProblemSchema } from './openapi.js';
import { errorHandler, sendProblem } from './problem.js';
import { deferredCompiles } from './deferred-compile.js';
import { refuseUnsafeText, serializerFactory, validatorFactory } from './validation.js';

/** A readiness check: resolves when the dependency answers, throws (with a reason) when not. */
export interface ReadinessCheck {
  readonly name: string;
  readonly check: () => Promise<void>;
}

export interface ServiceAppOptions {
  readonly service: string;
  readonly version: string;
  readonly description: string;
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
  /** The service's Prometheus registry; `/metrics` serves it. */
  readonly metrics?: Registry;
  /**
   * The bearer token a scraper must send to read `/metrics` (METRICS_TOKEN). Without one, `/metrics`
   * is refused to everyone: the figures say how busy the service is and what fails, which is no
   * one else's business.
   */
  readonly metricsToken?: string;
}

export type ServiceApp = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger, TypeBoxTypeProvider>;

/**
 * A route scope inside a service app (`app.register(async (scope) => …)`): the same type provider,
 * so route schemas type the handlers. Turn a plugin's scope into one with `apiScope(scope)`.
 */
export type ApiScope = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export const apiScope = (scope: FastifyInstance): ApiScope => scope.withTypeProvider<TypeBoxTypeProvider>();

const requestIdHeader = 'x-request-id';
/** Long enough for the other services of an `npm start` to have started too. */
const compileAfterListenMs = 5_000;
const quietPaths = /^\/(health\/|metrics)/;
const validRequestId = /^[\w.:-]{1,128}$/;

const HealthReply = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Throws unless the request carries `Authorization: Bearer <token>` (compared in constant time). */
const requireMetricsToken = (authorization: string | undefined, token: string | undefined): void => {
  if (token === undefined) throw refuse('metrics.disabled');
  const given = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
  if (given === undefined || !timingSafeEqual(digest(given), digest(token))) throw refuse('metrics.token_invalid');
};

const runChecks = async (
  checks: readonly ReadinessCheck[],
): Promise<{ ok: boolean; results: Record<string, string> }> => {
  const settled = await Promise.all(
    checks.map(async (c) => {
      try {
        await c.check();
        return [c.name, 'ok'] as const;
      } catch (error) {
        return [c.name, error instanceof Error ? error.message : String(error)] as const;
      }
    }),
  );
  return { ok: settled.every(([, r]) => r === 'ok'), results: Object.fromEntries(settled) };
};

/**
 * The shell every aTES service is built in: JSON logs with a request id, RFC 9457 errors,
 * strict request validation (see validation.ts: unknown fields, coerced body types, NUL and
 * unpaired surrogates are refused), health and token-protected metrics endpoints, and OpenAPI
 * generated from the route schemas — every refusal a route can send included — with Swagger UI
 * at `/docs`. Routes are registered by the service on the returned instance; call `listen` from
 * `@ates/http` to serve it.
 */
export const createServiceApp = async (options: ServiceAppOptions): Promise<ServiceApp> => {
  const deferred = deferredCompiles();
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: (req) => {
      const given = req.headers[requestIdHeader];
      return typeof given === 'string' && validRequestId.test(given) ? given : randomUUID();
    },
    // Probes and scrapes arrive every few seconds; logging them would drown the real requests.
    logController: new LogController({
      requestIdLogLabel: 'request_id',
      disableRequestLogging: (req) => quietPaths.test(req.url),
    }),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    bodyLimit: 1_048_576,
    // Past the schemas' own limits (an id, a client id), so that those answer; longer ones are
    // refused by the router, in `frameworkErrors`.
    routerOptions: { maxParamLength: 2_000 },
    // Requests the router refuses before any route or hook: problem details like every refusal.
    frameworkErrors: (error, request, reply) => {
      reply.header(requestIdHeader, request.id).header('x-content-type-options', 'nosniff');
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      return sendProblem(
        request,
        reply,
        400,
        'validation',
        tooLong ? 'Invalid request: a path parameter is too long.' : 'Invalid request: the URL is malformed.',
        [{ field: 'params', message: tooLong ? 'is too long' : 'is not a valid URL component' }],
      );
    },
    schemaController: {
      compilersFactory: {
        buildValidator: validatorFactory(deferred) as never,
        buildSerializer: serializerFactory(deferred) as never,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header(requestIdHeader, request.id);
    // On the raw response, so that replies written past Fastify (the OIDC provider's) carry it too.
    reply.raw.setHeader('x-content-type-options', 'nosniff');
  });
  // Each request runs in a span of the caller's trace (W3C traceparent), or of a new one: the
  // events it produces carry it (@ates/trace-context).
  app.addHook('onRequest', (request, _reply, done) => runInSpan(request.headers.traceparent, done));
  app.addHook('preValidation', refuseUnsafeText);
  app.addHook('onRoute', documentRefusals);
  app.addSchema(ProblemSchema);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, 'route.not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `aTES ${options.service}`, version: options.version, description: options.description },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    // Shared schemas keep their names (Problem, Task, …) in the document, for generated clients.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Swagger UI's own policy (hashes of its inline script and style), framed by nobody, and
    // without upgrade-insecure-requests, which would break it on plain-http development hosts.
    staticCSP: true,
    transformStaticCSP: (header) =>
      header.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/ ?upgrade-insecure-requests;?/, ''),
  });

  // Route schemas compile on first use (deferred-compile.ts); the rest once start-up is over.
  app.addHook('onListen', function compileLater() {
    setTimeout(() => void deferred.compileAll(options.logger), compileAfterListenMs).unref();
  });

  const metrics = options.metrics ?? new Registry();
  if (!options.metrics) collectDefaultMetrics({ register: metrics });

  app.get(
    '/health/live',
    { schema: { tags: ['health'], summary: 'The process is up', response: { 200: HealthReply } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'The service can serve: its database (and event transport) answer',
        response: { 200: HealthReply, 503: HealthReply },
      },
    },
    async (_request, reply) => {
      const { ok, results } = await runChecks(options.readiness);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks: results });
    },
  );
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics (send Authorization: Bearer <METRICS_TOKEN>)',
        response: { 200: Type.String(), ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      requireMetricsToken(request.headers.authorization, options.metricsToken);
      return reply.type(metrics.contentType).send(await metrics.metrics());
    },
  );
  return app;
};

/** Listens on `port`; a port already in use becomes one clear configuration error. */
export const listen = async (app: ServiceApp, port: number, host = '0.0.0.0'): Promise<string> => {
  try {
    return await app.listen({ port, host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw configError(`Port ${port} is already in use; set PORT to a free port.`);
    if (code === 'EACCES')
      throw configError(`Port ${port} needs privileges this process does not have; set PORT above 1023.`);
    throw error;
  }
};
