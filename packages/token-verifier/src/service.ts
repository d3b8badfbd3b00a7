import type { Kysely } from 'kysely';
import { httpUrl, type ConfigOf, type Variable } from '@ates/config';
import type { Logger } from '@ates/logger';
import { pgJwksStore } from './pg-store.js';
import { remoteJwks, type RemoteJwks } from './remote-jwks.js';
import type { AccountStandings } from './standing.js';
import { createTokenVerifier, type TokenVerifier } from './verifier.js';

/** The audience of every access token meant for the aTES services (a resource indicator, RFC 8707). */
export const apiAudience = 'urn:ates:api';

const optionalHttpUrl = (description: string): Variable<string | undefined> => ({
  description,
  default: '',
  expected: 'an http(s) URL, or empty',
  parse: (raw) => {
    if (raw === '') return undefined;
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error('invalid');
    return raw.replace(/\/$/, '');
  },
});

/** Variables of a service that accepts access tokens; spread into its definition's `env`. */
export const tokenVerifierEnv = {
  AUTH_ISSUER: httpUrl(
    'Issuer identifier of the auth service: its public base URL, which tokens must name as `iss`.',
    'http://localhost:4000',
  ),
  AUTH_INTERNAL_URL: optionalHttpUrl(
    'Where this service reaches the auth service for its public keys, when that differs from AUTH_ISSUER (e.g. http://auth:4000 inside a container network); empty means AUTH_ISSUER.',
  ),
};

export type TokenVerifierConfig = ConfigOf<typeof tokenVerifierEnv>;

/** The JWKS URL of the auth service (oidc-provider routes are mounted under /oidc). */
export const jwksUrlOf = (config: TokenVerifierConfig): string =>
  `${config.AUTH_INTERNAL_URL ?? config.AUTH_ISSUER}/oidc/jwks`;

/**
 * The verifier a service uses: keys fetched from the auth service and cached in the service's own
 * database. Starts loading keys at once without waiting for them: a service starts (and serves
 * with cached keys) even while auth is down. `accounts` (`replicaStandings(ctx)` from
 * @ates/account-replica) makes deactivations and role changes count at once.
 */
export const serviceTokenVerifier = (params: {
  readonly config: TokenVerifierConfig;
  // The service's own database, whatever its tables.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly logger: Logger;
  readonly accounts?: AccountStandings;
}): { verifier: TokenVerifier; keys: RemoteJwks } => {
  const url = jwksUrlOf(params.config);
  const keys = remoteJwks({ url, store: pgJwksStore(params.db, url), logger: params.logger });
  void keys.warmUp();
  const verifier = createTokenVerifier({
    issuer: params.config.AUTH_ISSUER,
    audience: apiAudience,
    keys,
    keysVersion: keys.version,
    ...(params.accounts ? { accounts: params.accounts } : {}),
  });
  return { verifier, keys };
};
