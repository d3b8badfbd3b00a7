import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { createServiceApp, type ServiceApp } from '@ates/http';
import { createLogger } from '@ates/logger';
import { authenticate, requireRole } from './fastify.js';
import { remoteJwks } from './remote-jwks.js';
import { createTestKey, startJwksServer, type JwksServer, type TestKey } from './testing.js';
import { createTokenVerifier } from './verifier.js';

const issuer = 'http://auth.test';
const audience = 'urn:ates:api';
const worker = {
  sub: 'a6b1f7a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  role: 'worker',
  name: 'Polly Popug',
  email: 'polly@example.com',
};

let key: TestKey;
let jwks: JwksServer;
let app: ServiceApp;

beforeAll(async () => {
  key = await createTestKey('k1');
  jwks = await startJwksServer([key.publicJwk]);
  app = await createServiceApp({
    service: 'test',
    version: '0',
    description: 'test',
    logger: createLogger('test', 'silent'),
    readiness: [],
  });
  const verifier = createTokenVerifier({ issuer, audience, keys: remoteJwks({ url: jwks.url }) });
  app.get('/public', async () => ({ ok: true }));
  await app.register(async (api) => {
    authenticate(api, verifier);
    api.get('/api/me', async (request) => request.caller);
    api.get('/api/reassign', { preHandler: requireRole('manager', 'admin') }, async () => ({ ok: true }));
  });
  await app.register(async (api: ServiceApp) => {
    authenticate(api, verifier);
    api.get(
      '/api/typed',
      { preHandler: [requireRole('admin')], schema: { querystring: Type.Object({ q: Type.Optional(Type.String()) }) } },
      async (request) => ({ q: request.query.q ?? '' }),
    );
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await jwks.close();
});

describe('authenticate', () => {
  it('gives the route the caller of a valid token', async () => {
    const token = await key.sign(worker, { issuer, audience });
    const response = await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: worker.sub,
      role: 'worker',
      name: 'Polly Popug',
      email: 'polly@example.com',
    });
  });

  it('answers 401 problem details with a WWW-Authenticate challenge when the token is missing', async () => {
    const response = await app.inject({ url: '/api/me' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="ates"');
    expect(response.json()).toMatchObject({
      status: 401,
      code: 'auth.token_missing',
      detail: expect.stringMatching(/Missing access token/),
    });
  });

  it('answers 401 naming the reason for an expired token, without echoing it', async () => {
    const token = await key.sign(worker, { issuer, audience, expiresIn: Math.floor(Date.now() / 1000) - 120 });
    const response = await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(response.body).toMatch(/expired/);
    expect(response.body).not.toContain(token);
  });

  it('refuses another scheme', async () => {
    const response = await app.inject({ url: '/api/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.statusCode).toBe(401);
  });

  it('leaves routes outside the context alone', async () => {
    expect((await app.inject({ url: '/public' })).statusCode).toBe(200);
  });
});

describe('requireRole', () => {
  it('lets an allowed role through and answers 403 to the others', async () => {
    const manager = await key.sign({ ...worker, role: 'manager' }, { issuer, audience });
    const popug = await key.sign(worker, { issuer, audience });
    expect(
      (await app.inject({ url: '/api/reassign', headers: { authorization: `Bearer ${manager}` } })).statusCode,
    ).toBe(200);
    const refused = await app.inject({ url: '/api/reassign', headers: { authorization: `Bearer ${popug}` } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe('This needs the role manager or admin; yours is worker.');
  });
});
