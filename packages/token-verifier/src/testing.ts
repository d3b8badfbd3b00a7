import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, type JWTPayload } from 'jose';

/**
 * Test helpers: a key pair that signs tokens like the auth service does, and a tiny JWKS server
 * that can be switched off to play "auth is down". Used by this package's tests and by services'
 * tests that need tokens without running the auth service.
 */
export interface TestKey {
  readonly kid: string;
  readonly publicJwk: JWK;
  sign(
    claims: JWTPayload,
    options?: {
      issuer?: string;
      audience?: string;
      expiresIn?: string | number;
      alg?: string;
      kid?: string;
      /** Seconds since the epoch; default now. */
      issuedAt?: number;
    },
  ): Promise<string>;
}

export const createTestKey = async (kid: string): Promise<TestKey> => {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    publicJwk,
    sign: (claims, options = {}) => {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? kid, typ: 'at+jwt' })
        .setIssuedAt(options.issuedAt);
      if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
      if (options.audience !== undefined) jwt.setAudience(options.audience);
      jwt.setExpirationTime(options.expiresIn ?? '15m');
      return jwt.sign(privateKey);
    },
  };
};

/** An unsigned token (`alg: none`), as an attacker would send it. */
export const unsignedToken = (claims: JWTPayload): string => {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
};

export interface JwksServer {
  readonly url: string;
  /** How many times the key set was fetched. */
  readonly hits: number;
  setKeys(keys: readonly JWK[]): void;
  /** While down, every request is answered 503. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export const startJwksServer = async (keys: readonly JWK[]): Promise<JwksServer> => {
  let current: JSONWebKeySet = { keys: [...keys] };
  let down = false;
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    if (down) {
      res.writeHead(503).end();
      return;
    }
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(current));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oidc/jwks`,
    get hits() {
      return hits;
    },
    setKeys: (next) => {
      current = { keys: [...next] };
    },
    setDown: (value) => {
      down = value;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};
