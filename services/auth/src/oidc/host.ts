import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import type Provider from 'oidc-provider';
import type { ServiceApp } from '@ates/http';
import type { Logger } from '@ates/logger';
import type { AuthDb } from '../db.js';
import type { EndedSession } from './adapter.js';
import { createProvider, isProviderPath, type ProviderOptions } from './provider.js';
import { publicJwk, publishedKeys, type SigningKey } from './signing-keys.js';

/**
 * Holds the running provider. oidc-provider reads its signing keys once, when it is built, so a
 * key rotation (`ates auth rotate-keys`) is adopted by building a new provider from the key
 * table: `reloadKeys` does that when the published keys, or the one that signs, changed (the
 * service checks every 30 seconds). Nothing is lost in
 * the swap — sessions, grants and tokens live in PostgreSQL, cookies are signed with configured
 * keys — and requests already in flight finish on the provider they started on.
 */
export interface OidcHost {
  readonly provider: () => Provider;
  /** The provider's Node request handler. */
  readonly handler: () => ReturnType<Provider['callback']>;
  /** The published public keys, for verifying access tokens inside the auth service itself. */
  readonly verificationKeys: JWTVerifyGetKey;
  /** Goes up whenever the published keys change (a reload), for the token verifier's cache. */
  keysVersion(): number;
  /** Rebuilds the provider if the published keys changed; returns whether they did. */
  reloadKeys(): Promise<boolean>;
  kids(): readonly string[];
  /**
   * Tells every application of these ended sessions that has a back-channel logout URI (the
   * dashboards), so that they end their own sessions at once. Failures are logged, not thrown:
   * the sessions are already over at the provider, and dashboards find out at their next refresh.
   */
  notifySessionsEnded(sessions: readonly EndedSession[], logger: Pick<Logger, 'warn'>): Promise<void>;
}

const fingerprint = (keys: readonly SigningKey[]): string =>
  keys.map((k) => `${k.kid}${k.signing ? ':signing' : ''}`).join(',');

export const createOidcHost = async (db: AuthDb, options: Omit<ProviderOptions, 'keys' | 'db'>): Promise<OidcHost> => {
  const build = (keys: readonly SigningKey[]) => {
    const provider = createProvider({ ...options, db, keys });
    return {
      keys,
      provider,
      handler: provider.callback(),
      jwks: createLocalJWKSet({ keys: keys.map((k) => publicJwk(k.privateJwk)) }),
    };
  };
  let current = build(await publishedKeys(db));
  let keysVersion = 0;
  return {
    provider: () => current.provider,
    handler: () => current.handler,
    verificationKeys: (header, token) => current.jwks(header, token),
    keysVersion: () => keysVersion,
    kids: () => current.keys.map((k) => k.kid),
    notifySessionsEnded: async (sessions, logger) => {
      const provider = current.provider;
      await Promise.all(
        sessions.flatMap((session) =>
          Object.entries(session.sids).map(async ([clientId, sid]) => {
            try {
              const client = await provider.Client.find(clientId);
              if (client?.backchannelLogoutUri) await client.backchannelLogout(session.accountId, sid);
            } catch (error) {
              logger.warn({ clientId, reason: (error as Error).message }, 'back-channel logout failed');
            }
          }),
        ),
      );
    },
    reloadKeys: async () => {
      const keys = await publishedKeys(db);
      if (fingerprint(keys) === fingerprint(current.keys)) return false;
      current = build(keys);
      keysVersion += 1;
      return true;
    },
  };
};

/**
 * Sends the provider's paths (/oidc/*, discovery) to the provider: the request is taken from
 * Fastify before its body is read (`onRequest`) and handed to the provider's Koa app as is —
 * except its Host, which is pinned to the issuer's. oidc-provider writes the endpoints of its
 * discovery document from the request's host, so a service that reaches auth at an internal
 * address (AUTH_INTERNAL_URL) would otherwise send browsers there, and any client could have the
 * document name a host of its choosing.
 */
export const mountProvider = (app: ServiceApp, host: OidcHost, issuer: string): void => {
  const issuerHost = new URL(issuer).host;
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    if (!isProviderPath(path)) return;
    request.raw.headers.host = issuerHost;
    delete request.raw.headers['x-forwarded-host'];
    reply.raw.setHeader('x-request-id', String(request.id));
    reply.hijack();
    await host.handler()(request.raw, reply.raw);
  });
};
