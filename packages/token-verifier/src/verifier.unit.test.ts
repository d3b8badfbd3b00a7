import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { AppError } from '@ates/errors';
import { remoteJwks, type JwksStore } from './remote-jwks.js';
import type { AccountStanding } from './standing.js';
import { createTestKey, startJwksServer, unsignedToken, type JwksServer, type TestKey } from './testing.js';
import { createTokenVerifier } from './verifier.js';

const issuer = 'http://auth.test';
const audience = 'urn:ates:api';
const claims = {
  sub: '6f1c1c8e-8f4e-4b8e-9b53-0d8a5b0c1a11',
  role: 'worker',
  name: 'Kiwi Budgie',
  email: 'kiwi@example.com',
};

let key: TestKey;
let otherKey: TestKey;
let server: JwksServer;

beforeAll(async () => {
  key = await createTestKey('k1');
  otherKey = await createTestKey('k1-impostor');
  server = await startJwksServer([key.publicJwk]);
});
afterAll(() => server.close());

const memoryStore = (initial?: JSONWebKeySet): JwksStore & { saved: JSONWebKeySet[] } => {
  const saved: JSONWebKeySet[] = [];
  let value = initial;
  return {
    saved,
    load: async () => value,
    save: async (jwks) => {
      value = jwks;
      saved.push(jwks);
    },
  };
};

const refusal = async (promise: Promise<unknown>): Promise<AppError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
};

describe('createTokenVerifier', () => {
  const verifier = () => createTokenVerifier({ issuer, audience, keys: remoteJwks({ url: server.url }) });

  it('accepts a token of the pinned issuer and audience and returns the caller', async () => {
    const token = await key.sign(claims, { issuer, audience });
    await expect(verifier().verify(token)).resolves.toEqual({
      id: claims.sub,
      role: 'worker',
      name: 'Kiwi Budgie',
      email: 'kiwi@example.com',
    });
  });

  it.each([
    [
      'expired',
      () => key.sign(claims, { issuer, audience, expiresIn: Math.floor(Date.now() / 1000) - 3600 }),
      /has expired/,
    ],
    [
      'signed with another key under a published kid',
      () => otherKey.sign(claims, { issuer, audience, kid: 'k1' }),
      /signature does not match/,
    ],
    [
      'signed with an unpublished key',
      () => otherKey.sign(claims, { issuer, audience }),
      /key the auth service does not publish/,
    ],
    [
      'unsigned (alg none)',
      async () => unsignedToken({ ...claims, iss: issuer, aud: audience, exp: Math.floor(Date.now() / 1000) + 600 }),
      /algorithm that is not accepted/,
    ],
    ['for another audience', () => key.sign(claims, { issuer, audience: 'urn:other:api' }), /another audience/],
    ['from another issuer', () => key.sign(claims, { issuer: 'http://evil.test', audience }), /another issuer/],
    ['without a role claim', () => key.sign({ ...claims, role: undefined }, { issuer, audience }), /lacks valid role/],
    ['with an unknown role', () => key.sign({ ...claims, role: 'overlord' }, { issuer, audience }), /lacks valid role/],
    ['not a JWT at all', async () => 'opaque-token-value', /malformed/],
    [
      'whose sub is not an account id',
      () => key.sign({ ...claims, sub: 'admin' }, { issuer, audience }),
      /lacks valid sub/,
    ],
    [
      'whose sub is a UUID in another spelling',
      () => key.sign({ ...claims, sub: `urn:uuid:${claims.sub}` }, { issuer, audience }),
      /lacks valid sub/,
    ],
    [
      'issued in the future, beyond the clock tolerance',
      () => key.sign(claims, { issuer, audience, issuedAt: Math.floor(Date.now() / 1000) + 120 }),
      /issued in the future/,
    ],
  ])('refuses a token %s with 401 and the reason', async (_label, make, reason) => {
    const token = await make();
    const error = await refusal(verifier().verify(token));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain(token);
  });
});

describe('createTokenVerifier with the account standings of the service', () => {
  const standing = (s: Partial<AccountStanding>): AccountStanding => ({
    role: 'worker',
    active: true,
    roleVersion: 1,
    activeVersion: 1,
    ...s,
  });
  const verifierKnowing = (known: AccountStanding | undefined) =>
    createTokenVerifier({
      issuer,
      audience,
      keys: remoteJwks({ url: server.url }),
      accounts: { of: async () => known },
    });
  const tokenAt = (version: number | undefined, role = 'worker') =>
    key.sign({ ...claims, role, ...(version === undefined ? {} : { account_version: version }) }, { issuer, audience });

  it('refuses a token of an account the service knows as deactivated', async () => {
    const error = await refusal(
      verifierKnowing(standing({ active: false, activeVersion: 3 })).verify(await tokenAt(2)),
    );
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/deactivated/);
    // A token from before the account_version claim counts as older than anything the copy knows.
    expect((await refusal(verifierKnowing(standing({ active: false })).verify(await tokenAt(undefined)))).status).toBe(
      401,
    );
  });

  it('takes the role the service knows when it is at least as new as the token', async () => {
    const demoted = verifierKnowing(standing({ role: 'worker', roleVersion: 5 }));
    await expect(demoted.verify(await tokenAt(4, 'admin'))).resolves.toMatchObject({ role: 'worker' });
    await expect(demoted.verify(await tokenAt(5, 'admin'))).resolves.toMatchObject({ role: 'worker' });
  });

  it('keeps what a newer token says: a change the copy has not applied yet', async () => {
    const lagging = verifierKnowing(standing({ role: 'worker', roleVersion: 4, active: false, activeVersion: 4 }));
    await expect(lagging.verify(await tokenAt(5, 'manager'))).resolves.toMatchObject({ role: 'manager' });
  });

  it('trusts the token alone for an account the service has never heard of, or whose role it does not know', async () => {
    await expect(verifierKnowing(undefined).verify(await tokenAt(1, 'manager'))).resolves.toMatchObject({
      role: 'manager',
    });
    await expect(
      verifierKnowing(standing({ role: null, roleVersion: 0 })).verify(await tokenAt(1, 'manager')),
    ).resolves.toMatchObject({ role: 'manager' });
  });
});

describe('createTokenVerifier keeps the tokens it verified', () => {
  /** The keys of the JWKS server, counting how many times a token's key was looked up. */
  const countingKeys = () => {
    const keys = remoteJwks({ url: server.url });
    let lookups = 0;
    const counted: JWTVerifyGetKey = (...args) => {
      lookups += 1;
      return keys(...args);
    };
    return { keys: counted, lookups: () => lookups };
  };

  it('verifies a token once and answers the same string again from memory', async () => {
    const { keys, lookups } = countingKeys();
    const verifier = createTokenVerifier({ issuer, audience, keys });
    const token = await key.sign(claims, { issuer, audience });
    const first = await verifier.verify(token);
    await expect(verifier.verify(token)).resolves.toEqual(first);
    await expect(verifier.verify(token)).resolves.toEqual(first);
    expect(lookups()).toBe(1);
  });

  it('verifies every token from scratch when told to keep none', async () => {
    const { keys, lookups } = countingKeys();
    const verifier = createTokenVerifier({ issuer, audience, keys, maxCachedTokens: 0 });
    const token = await key.sign(claims, { issuer, audience });
    await verifier.verify(token);
    await verifier.verify(token);
    expect(lookups()).toBe(2);
  });

  it('refuses a kept token once it has expired, as an expired token', async () => {
    let clock = Date.now();
    const verifier = createTokenVerifier({ issuer, audience, keys: remoteJwks({ url: server.url }), now: () => clock });
    const token = await key.sign(claims, { issuer, audience, expiresIn: '2m' });
    await verifier.verify(token);
    clock += 60_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: claims.sub });
    clock += 120_000; // past exp and the 30 s tolerance
    const error = await refusal(verifier.verify(token));
    expect(error.code).toBe('auth.token_expired');
    expect(error.status).toBe(401);
  });

  it('keeps at most maxCachedTokens, dropping the least recently used', async () => {
    const { keys, lookups } = countingKeys();
    const verifier = createTokenVerifier({ issuer, audience, keys, maxCachedTokens: 2 });
    const [a, b, c] = await Promise.all(
      ['Ara', 'Bea', 'Cid'].map((name) => key.sign({ ...claims, name }, { issuer, audience })),
    );
    for (const token of [a, b, a, c]) await verifier.verify(token as string); // c pushes out b, not a
    expect(lookups()).toBe(3);
    await expect(verifier.verify(a as string)).resolves.toMatchObject({ name: 'Ara' });
    expect(lookups()).toBe(3);
    await expect(verifier.verify(b as string)).resolves.toMatchObject({ name: 'Bea' });
    expect(lookups()).toBe(4);
  });

  it('never answers a forged token from memory, however close to a kept one', async () => {
    const verifier = createTokenVerifier({ issuer, audience, keys: remoteJwks({ url: server.url }) });
    const token = await key.sign(claims, { issuer, audience });
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const asAdmin = part({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' });
    const impostor = (await otherKey.sign(claims, { issuer, audience, kid: 'k1' })).split('.')[2] as string;
    // A character inside the signature: the last one of a base64url RS256 signature also carries
    // padding bits, and changing only those spells the same signature (a valid token).
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    for (const forged of [
      `${header}.${asAdmin}.${signature}`, // the payload edited, the signature kept
      `${header}.${payload}.${impostor}`, // the payload kept, signed by another key
      `${header}.${payload}.${flipped}`,
      `${header}.${payload}.`,
    ]) {
      const error = await refusal(verifier.verify(forged));
      expect(error.status).toBe(401);
    }
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'worker' });
  });

  it('applies a deactivation or a role change to a kept token at the very next request', async () => {
    let known: AccountStanding | undefined;
    const verifier = createTokenVerifier({
      issuer,
      audience,
      keys: remoteJwks({ url: server.url }),
      accounts: { of: async () => known },
    });
    const token = await key.sign({ ...claims, account_version: 2 }, { issuer, audience });
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'worker' });
    known = { role: 'manager', active: true, roleVersion: 3, activeVersion: 1 };
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'manager' });
    known = { role: 'manager', active: false, roleVersion: 3, activeVersion: 4 };
    expect((await refusal(verifier.verify(token))).code).toBe('auth.account_deactivated');
    known = { role: 'worker', active: true, roleVersion: 5, activeVersion: 5 };
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'worker' });
  });

  it('verifies a kept token again when the key set changed, so a withdrawn key stops counting at once', async () => {
    const rotated = await createTestKey('k2');
    const local = await startJwksServer([key.publicJwk]);
    try {
      const keys = remoteJwks({ url: local.url });
      const verifier = createTokenVerifier({ issuer, audience, keys, keysVersion: keys.version });
      const token = await key.sign(claims, { issuer, audience });
      await verifier.verify(token);
      const before = keys.version();
      local.setKeys([rotated.publicJwk]);
      await keys.refresh();
      expect(keys.version()).toBeGreaterThan(before);
      expect((await refusal(verifier.verify(token))).message).toMatch(/key the auth service does not publish/);
      // An unchanged key set fetched again is no change.
      const after = keys.version();
      await keys.refresh();
      expect(keys.version()).toBe(after);
    } finally {
      await local.close();
    }
  });
});

describe('remoteJwks', () => {
  it('keeps verifying with the keys it has while the JWKS endpoint is down, even when they are old', async () => {
    let clock = 1_000_000;
    const keys = remoteJwks({ url: server.url, refreshAfterMs: 1_000, now: () => clock });
    const verifier = createTokenVerifier({ issuer, audience, keys });
    const token = await key.sign(claims, { issuer, audience });
    await verifier.verify(token);
    server.setDown(true);
    try {
      clock += 60_000; // far past refreshAfterMs: a refresh is attempted and fails
      await expect(verifier.verify(token)).resolves.toMatchObject({ id: claims.sub });
      await expect(verifier.verify(token)).resolves.toMatchObject({ id: claims.sub });
    } finally {
      server.setDown(false);
    }
  });

  it('fetches again when a token names an unknown key (a rotation), at most once per cooldown', async () => {
    let clock = 5_000_000;
    const rotated = await createTestKey('k2');
    const local = await startJwksServer([key.publicJwk]);
    try {
      const keys = remoteJwks({ url: local.url, cooldownMs: 30_000, now: () => clock });
      const verifier = createTokenVerifier({ issuer, audience, keys });
      await verifier.verify(await key.sign(claims, { issuer, audience }));
      expect(local.hits).toBe(1);
      local.setKeys([rotated.publicJwk, key.publicJwk]);
      const newToken = await rotated.sign(claims, { issuer, audience });
      // Within the cooldown of the first fetch, an unknown key is refused without a fetch.
      expect((await refusal(verifier.verify(newToken))).status).toBe(401);
      expect(local.hits).toBe(1);
      clock += 31_000;
      await expect(verifier.verify(newToken)).resolves.toMatchObject({ role: 'worker' });
      expect(local.hits).toBe(2);
      expect(keys.kids()).toEqual(['k2', 'k1']);
    } finally {
      await local.close();
    }
  });

  it('starts from the stored key set when the JWKS endpoint is down at start-up, and stores what it fetches', async () => {
    const store = memoryStore({ keys: [key.publicJwk] });
    server.setDown(true);
    try {
      const verifier = createTokenVerifier({ issuer, audience, keys: remoteJwks({ url: server.url, store }) });
      await expect(verifier.verify(await key.sign(claims, { issuer, audience }))).resolves.toMatchObject({
        id: claims.sub,
      });
    } finally {
      server.setDown(false);
    }
    const fresh = memoryStore();
    const keys = remoteJwks({ url: server.url, store: fresh });
    await keys.refresh();
    expect(fresh.saved).toEqual([{ keys: [key.publicJwk] }]);
    await keys.refresh();
    expect(fresh.saved).toHaveLength(1); // unchanged key sets are not written again
  });

  it('answers 503, not 401, when it has no keys at all and cannot fetch any', async () => {
    server.setDown(true);
    try {
      const verifier = createTokenVerifier({
        issuer,
        audience,
        keys: remoteJwks({ url: server.url, store: memoryStore() }),
      });
      const error = await refusal(verifier.verify(await key.sign(claims, { issuer, audience })));
      expect(error.status).toBe(503);
    } finally {
      server.setDown(false);
    }
  });
});
