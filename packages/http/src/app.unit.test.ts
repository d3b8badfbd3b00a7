import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { refuse } from '@ates/errors';
import { createLogger } from '@ates/logger';
import { currentTraceparent } from '@ates/trace-context';
import { createServiceApp, type ServiceApp } from './index.js';

let healthy = true;
let app: ServiceApp;
const metricsToken = 'm'.repeat(40);
const id = '6f1c1c8e-8f4e-4b8e-9b53-0d8a5b0c1a11';

const fieldsOf = (response: { json(): unknown }): string[] =>
  ((response.json() as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field).sort();

beforeAll(async () => {
  app = await createServiceApp({
    service: 'test',
    version: '1.0.0',
    description: 'test service',
    logger: createLogger('test', 'silent'),
    metricsToken,
    readiness: [
      {
        name: 'database',
        check: async () => {
          if (!healthy) throw new Error('connection refused');
        },
      },
    ],
  });
  app.post(
    '/things',
    {
      schema: {
        body: Type.Object(
          { title: Type.String({ minLength: 1 }), size: Type.Integer() },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ title: Type.String() }) },
      },
    },
    async (request, reply) => reply.status(201).send({ title: request.body.title }),
  );
  app.get(
    '/things/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ page: Type.Integer({ minimum: 1, default: 1 }), q: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ id: Type.String(), page: Type.Integer() }) },
      },
    },
    async (request) => ({ id: request.params.id, page: request.query.page }),
  );
  app.post('/untyped', async (request) => ({ got: request.body }));
  app.post('/conflict', async () => {
    throw refuse('task.no_eligible_assignee');
  });
  app.get('/bug', async () => {
    throw new Error('secret internals');
  });
  app.get('/trace', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { traceparent: currentTraceparent() ?? null };
  });
  await app.ready();
});
afterAll(() => app.close());

describe('service shell', () => {
  it('answers liveness and readiness', async () => {
    expect((await app.inject('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });

  it('is not ready when a dependency fails, and says which', async () => {
    healthy = false;
    const ready = await app.inject('/health/ready');
    healthy = true;
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', checks: { database: 'connection refused' } });
  });

  it('echoes a given request id and makes one otherwise', async () => {
    expect(
      (await app.inject({ url: '/health/live', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id'],
    ).toBe('abc-123');
    expect((await app.inject('/health/live')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects invalid bodies with problem details naming every field', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { title: '', colour: 'red' } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ status: 400, code: 'request.invalid', title: 'Bad Request', instance: '/things' });
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.colour',
      'body.size',
      'body.title',
    ]);
  });

  it('maps coded errors to their status', async () => {
    const response = await app.inject({ method: 'POST', url: '/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      type: 'urn:ates:problem:task.no_eligible_assignee',
      code: 'task.no_eligible_assignee',
      detail: 'No eligible assignee: a task needs an active account that is neither a manager nor an admin.',
    });
  });

  it('answers 500 without leaking the error for bugs', async () => {
    const response = await app.inject('/bug');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internals');
    expect(response.json().request_id).toBe(response.headers['x-request-id']);
  });

  it('answers unknown routes and malformed JSON with problem details', async () => {
    expect((await app.inject('/nope')).json()).toMatchObject({ status: 404, code: 'route.not_found' });
    const bad = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"title":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json()).toMatchObject({ code: 'request.malformed_body', errors: [{ field: 'body' }] });
    const unsupported = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(unsupported.json()).toMatchObject({
      status: 415,
      code: 'request.unsupported_media_type',
      errors: [{ field: 'body' }],
    });
  });

  it('publishes OpenAPI generated from the route schemas, and Swagger UI', async () => {
    const spec = (await app.inject('/docs/json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/things', '/health/ready']));
    expect((await app.inject('/docs/')).statusCode).toBe(200);
  });

  it('serves Prometheus metrics only to a scraper with the metrics token', async () => {
    const response = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('process_cpu_seconds_total');
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    const wrong = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${'x'.repeat(40)}` } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('keeps /metrics closed to everyone when no metrics token is configured', async () => {
    const closed = await createServiceApp({
      service: 'closed',
      version: '1',
      description: 'no metrics token',
      logger: createLogger('test', 'silent'),
      readiness: [],
    });
    await closed.ready();
    const response = await closed.inject({ url: '/metrics', headers: { authorization: 'Bearer anything' } });
    await closed.close();
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toMatch(/METRICS_TOKEN/);
  });
});

describe('bad input is refused, never coerced, never a 500', () => {
  it('takes body types as they are: a number is no string, an array no scalar', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { title: 42, size: '3' } });
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['body.size', 'body.title']);
    const array = await app.inject({ method: 'POST', url: '/things', payload: { title: ['a'], size: [3] } });
    expect(fieldsOf(array)).toEqual(['body.size', 'body.title']);
  });

  it('still reads numbers from the query string, and bounds them', async () => {
    expect((await app.inject(`/things/${id}?page=3`)).json()).toEqual({ id, page: 3 });
    for (const page of ['1e18', '99999999999999999999', 'Infinity', '-Infinity', '1e400', '0x10', '%203', '1.5', '']) {
      const odd = await app.inject(`/things/${id}?page=${page}`);
      expect(odd.statusCode, page).toBe(400);
      expect(fieldsOf(odd), page).toEqual(['querystring.page']);
    }
  });

  it.each([`urn:uuid:${id}`, `{${id}}`, id.replaceAll('-', ''), `${id}%00`])(
    'refuses the id spelling %s',
    async (spelling) => {
      const response = await app.inject(`/things/${spelling}`);
      expect(response.statusCode).toBe(400);
      expect(fieldsOf(response)).toEqual(['params.id']);
    },
  );

  it.each([
    // JSON escapes, as a client would send them.
    ['a NUL', 'abc\\u0000def'],
    ['a lone high surrogate', 'abc\\ud800'],
    ['a lone low surrogate', '\\udc00abc'],
  ])('refuses %s in any string of a body, a query or a path, naming the field', async (_what, text) => {
    const json = `{"title":"${text}","size":1}`;
    const body = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: json,
    });
    expect(body.statusCode).toBe(400);
    expect(fieldsOf(body)).toEqual(['body.title']);
    const nested = await app.inject({
      method: 'POST',
      url: '/untyped',
      headers: { 'content-type': 'application/json' },
      payload: `{"list":[{"name":"${text}"}]}`,
    });
    expect(fieldsOf(nested)).toEqual(['body.list.0.name']);
  });

  it('refuses a NUL in a query string or a path, naming the parameter', async () => {
    const query = await app.inject(`/things/${id}?q=abc%00`);
    expect(query.statusCode).toBe(400);
    expect(fieldsOf(query)).toEqual(['querystring.q']);
    const untyped = await app.inject({ method: 'POST', url: '/untyped?x=%00' });
    expect(fieldsOf(untyped)).toEqual(['querystring.x']);
  });

  it('keeps a pair of surrogates (an emoji) as it is', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { title: 'parrot 🦜', size: 1 } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ title: 'parrot 🦜' });
  });
});

describe('hardening', () => {
  it('sends X-Content-Type-Options: nosniff on every answer', async () => {
    for (const url of ['/health/live', '/nope', '/bug', '/docs/json', '/docs/'])
      expect((await app.inject(url)).headers['x-content-type-options'], url).toBe('nosniff');
  });

  it('gives Swagger UI a content security policy that no other site may frame', async () => {
    const csp = String((await app.inject('/docs/')).headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('documents every refusal a route can send, as problem details', async () => {
    const spec = (await app.inject('/docs/json')).json();
    const statuses = (path: string, method: string) => Object.keys(spec.paths[path][method].responses).sort();
    expect(statuses('/things', 'post')).toEqual(['201', '400', '413', '415', '500']);
    expect(statuses('/things/{id}', 'get')).toEqual(['200', '400', '500']);
    expect(statuses('/metrics', 'get')).toEqual(['200', '401', '403', '500']);
    expect(spec.paths['/things'].post.responses['415'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(spec.components.schemas.Problem.required).toEqual(expect.arrayContaining(['type', 'status', 'detail']));
  });

  it("runs each request in a span of the caller's trace, or of a new one", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const continued = (await app.inject({ url: '/trace', headers: { traceparent } })).json() as { traceparent: string };
    expect(continued.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    const fresh = (await app.inject('/trace')).json() as { traceparent: string };
    expect(fresh.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(fresh.traceparent.slice(3, 35)).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
