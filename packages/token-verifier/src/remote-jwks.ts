import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { unavailable } from '@ates/errors';
import type { Logger } from '@ates/logger';

/** Where the last good key set is kept between restarts (see `pgJwksStore`). */
export interface JwksStore {
  load(): Promise<JSONWebKeySet | undefined>;
  save(jwks: JSONWebKeySet): Promise<void>;
}

export interface RemoteJwksOptions {
  /** The auth service's JWKS URL (`jwks_uri` of its discovery document). */
  readonly url: string;
  /** Keeps the last key set fetched, so that a service restarted while auth is down can still verify. */
  readonly store?: JwksStore;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  /** How old the key set may get before a background refresh; default 5 minutes. */
  readonly refreshAfterMs?: number;
  /** Least time between two fetches caused by tokens with unknown keys; default 30 seconds. */
  readonly cooldownMs?: number;
  /** Default 3 seconds. */
  readonly timeoutMs?: number;
  /** For tests. */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export interface RemoteJwks extends JWTVerifyGetKey {
  /** Fetches the key set now (single flight); rejects when the fetch fails. */
  refresh(): Promise<void>;
  /**
   * Loads the stored key set, then refreshes in the background: call at start-up so the first
   * request finds keys ready. Never rejects; failures are logged.
   */
  warmUp(): Promise<void>;
  /** The key ids currently trusted. */
  kids(): readonly string[];
  /** Goes up whenever the trusted key set changes (for `TokenVerifierOptions.keysVersion`). */
  version(): number;
}

const reasonOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
};

const isKeySet = (value: unknown): value is JSONWebKeySet =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as { keys?: unknown }).keys) &&
  (value as { keys: unknown[] }).keys.every((k) => typeof k === 'object' && k !== null);

/**
 * The auth service's public keys, fetched over HTTP and cached — the key resolver the token
 * verifier uses in every service. Unlike jose's `createRemoteJWKSet`, an old key set is never
 * dropped because a refresh failed: when the auth service is down, tokens signed with keys it
 * published keep verifying (REQUIREMENTS U3). A token whose key is unknown causes a fetch at
 * once (at most one per cooldown), which is how a key rotation is picked up.
 *
 * Trade-off, on purpose: while auth is unreachable, a key it has since retired stays trusted
 * here; keys are only retired by rotation, and tokens still expire within minutes.
 */
export const remoteJwks = (options: RemoteJwksOptions): RemoteJwks => {
  const refreshAfterMs = options.refreshAfterMs ?? 300_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;

  let current: { readonly jwks: JSONWebKeySet; readonly resolve: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  let loaded: Promise<void> | undefined;
  let version = 0;

  /** Whether the key set changed; an unchanged one keeps its resolver and the keys it imported. */
  const adopt = (jwks: JSONWebKeySet, fetchedAt: number): boolean => {
    if (current && JSON.stringify(jwks) === JSON.stringify(current.jwks)) {
      current.fetchedAt = fetchedAt;
      return false;
    }
    current = { jwks, resolve: createLocalJWKSet(jwks), fetchedAt };
    version += 1;
    return true;
  };

  const loadStored = (): Promise<void> =>
    (loaded ??= (async () => {
      if (!options.store || current) return;
      try {
        const stored = await options.store.load();
        // A stored set counts as stale: it is used, and replaced as soon as auth answers.
        if (stored && isKeySet(stored) && !current) adopt(stored, Number.NEGATIVE_INFINITY);
      } catch (error) {
        options.logger?.warn({ err: error }, 'could not read the cached JWKS');
      }
    })());

  const fetchOnce = async (): Promise<void> => {
    lastAttemptAt = now();
    const response = await fetchImpl(options.url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/jwk-set+json, application/json' },
      redirect: 'error',
    });
    if (response.status !== 200) throw new Error(`JWKS answered ${response.status}`);
    const body: unknown = await response.json();
    if (!isKeySet(body)) throw new Error('JWKS response is not a JSON Web Key Set');
    if (adopt(body, now())) {
      options.logger?.info({ kids: body.keys.map((k) => k.kid) }, 'JWKS updated');
      await options.store
        ?.save(body)
        .catch((error: unknown) => options.logger?.warn({ err: error }, 'could not store the JWKS'));
    }
  };

  const refresh = (): Promise<void> => {
    pending ??= fetchOnce().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const backgroundRefresh = (): void => {
    if (pending || now() - lastAttemptAt < cooldownMs) return;
    // Expected while auth is down or still starting: one line, no stack.
    refresh().catch((error: unknown) =>
      options.logger?.warn(
        { url: options.url, reason: reasonOf(error), kids: current?.jwks.keys.length ?? 0 },
        'JWKS refresh failed; keeping the keys already known',
      ),
    );
  };

  const resolver = async (...args: Parameters<JWTVerifyGetKey>): Promise<Awaited<ReturnType<JWTVerifyGetKey>>> => {
    if (!current) await loadStored();
    if (!current) {
      try {
        await refresh();
      } catch (error) {
        throw unavailable('Cannot verify access tokens: the auth service keys are unavailable and none are cached.', {
          cause: error,
        });
      }
    }
    const known = current as NonNullable<typeof current>;
    if (now() - known.fetchedAt > refreshAfterMs) backgroundRefresh();
    try {
      return await known.resolve(...args);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() - lastAttemptAt < cooldownMs) throw error;
      try {
        await refresh();
      } catch (fetchError) {
        options.logger?.warn(
          { url: options.url, reason: reasonOf(fetchError) },
          'JWKS refresh for an unknown key failed',
        );
        throw error;
      }
      return (current as NonNullable<typeof current>).resolve(...args);
    }
  };

  return Object.assign(resolver, {
    refresh,
    kids: () => (current?.jwks.keys ?? []).map((k) => k.kid ?? '').filter(Boolean),
    version: () => version,
    warmUp: async () => {
      await loadStored();
      backgroundRefresh();
    },
  });
};
