import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { refuse } from '@ates/errors';
import { createLogger } from '@ates/logger';
import { currentTraceparent } from '@ates/trace-context';
import { createServiceApp, type ServiceApp } from './index.js';

let healthy = true;
let app: ServiceApp;

beforeAll(async () => {
  app = await createServiceApp({
    service: 'test',
    version: '1.0.0',
    description: 'test service',
    logger: createLogger('test', 'silent'),
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
  });

  it('publishes OpenAPI generated from the route schemas, and Swagger UI', async () => {
    const spec = (await app.inject('/docs/json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/things', '/health/ready']));
    expect((await app.inject('/docs/')).statusCode).toBe(200);
  });

  it('serves Prometheus metrics', async () => {
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('process_cpu_seconds_total');
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
