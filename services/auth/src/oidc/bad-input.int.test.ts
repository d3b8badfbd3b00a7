import { describe, expect, it } from 'vitest';
import { authForTests } from '../testing/harness.js';

// Issue 9: the endpoints handed to oidc-provider (which parses its own input) answered NUL bytes
// in a client id with 500: the id went straight to PostgreSQL, which cannot hold one. Every
// answer to bad input is a 4xx.

const auth = authForTests();

const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('the sign-in endpoints refuse bad input with 4xx', () => {
  it("send X-Content-Type-Options: nosniff on the provider's own answers too", async () => {
    for (const path of ['/oidc/jwks', '/.well-known/openid-configuration', '/oidc/auth?client_id=nobody'])
      expect((await fetch(`${auth.current.issuer}${path}`)).headers.get('x-content-type-options'), path).toBe(
        'nosniff',
      );
  });

  it.each([
    `/oidc/auth?client_id=%00&response_type=code&redirect_uri=http://x/&scope=openid&code_challenge=${challenge}&code_challenge_method=S256`,
    '/oidc/auth?client_id=tracker-dashboard&response_type=code&redirect_uri=http://x/%00&scope=openid',
    '/oidc/auth?client_id=%ED%A0%80',
    '/oidc/session/end?client_id=%00',
    '/interaction/%00',
    '/interaction/abc/login%00',
  ])('GET %s', async (path) => {
    const response = await fetch(`${auth.current.issuer}${path}`, { redirect: 'manual' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it.each([
    ['/oidc/token', 'grant_type=authorization_code&code=%00&client_id=%00'],
    ['/oidc/token', 'grant_type=refresh_token&refresh_token=%00'],
    ['/oidc/token/revocation', 'client_id=%00&token=%00'],
  ])('POST %s %s', async (path, body) => {
    const response = await fetch(`${auth.current.issuer}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('tracker-dashboard:not-the-secret').toString('base64')}`,
      },
      body,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
