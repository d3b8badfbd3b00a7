import * as oidc from 'openid-client';
import { isAppError } from '@ates/errors';
import type { Logger } from '@ates/logger';
import { apiAudience, type Caller } from '@ates/token-verifier';
import type { SessionCrypto } from './crypto.js';
import {
  claimRefresh,
  deleteSession,
  findActive,
  releaseRefresh,
  updateTokens,
  type ActiveSession,
  type SessionDb,
} from './store.js';

/**
 * Keeps a session's access token fresh without ever holding a database connection or a row lock
 * while the auth service is asked (REQUIREMENTS U3: a hung auth service must not starve the
 * dashboard's pool). One request at a time refreshes a session, across instances, by claiming it
 * with one UPDATE; the others serve on the token they have while it is still valid, or wait a
 * little for the claimer's result without a connection. A refresh that fails because auth cannot
 * be reached opens a short circuit breaker: for `breakerMs` no request of this process tries
 * again, and sessions serve on their still-valid tokens or ask to sign in again.
 */
export interface RefresherOptions {
  readonly db: SessionDb;
  readonly crypto: SessionCrypto;
  readonly discover: () => Promise<oidc.Configuration>;
  readonly verify: (accessToken: string) => Promise<Caller>;
  readonly log: Pick<Logger, 'warn' | 'info'>;
  /** How long before expiry a token is refreshed; default 30 s. */
  readonly marginMs?: number;
  /** The refresh call's own timeout (openid-client's); the lease outlasts it. Default 5 s. */
  readonly authTimeoutMs?: number;
  /** How long a failed refresh stops further attempts; default 10 s. */
  readonly breakerMs?: number;
}

export interface Refresher {
  /** The session with the freshest token to be had now; undefined when the session has ended. */
  current(idHash: string): Promise<ActiveSession | undefined>;
  /** Whether auth was found unreachable within the breaker's window. */
  authUnreachable(): boolean;
}

/** The provider refused the refresh token: revoked, expired, signed out, account deactivated. */
const isAuthRefusal = (error: unknown): boolean =>
  error instanceof oidc.ResponseBodyError &&
  (error.error === 'invalid_grant' || error.error === 'invalid_client' || error.status === 400 || error.status === 401);

export const expiresAt = (tokens: oidc.TokenEndpointResponse): Date =>
  new Date(Date.now() + (tokens.expires_in ?? 60) * 1000);

const pollMs = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const createRefresher = (options: RefresherOptions): Refresher => {
  const { db, crypto, log } = options;
  const marginMs = options.marginMs ?? 30_000;
  const authTimeoutMs = options.authTimeoutMs ?? 5_000;
  const breakerMs = options.breakerMs ?? 10_000;
  const leaseSeconds = Math.ceil((2 * authTimeoutMs) / 1000) + 5;
  let brokenUntil = 0;
  const authUnreachable = () => Date.now() < brokenUntil;
  const dueSoon = (session: ActiveSession) => session.accessExpiresAt.getTime() - Date.now() <= marginMs;
  const expired = (session: ActiveSession) => session.accessExpiresAt.getTime() <= Date.now();

  /** Asks the auth service for new tokens, holding nothing but the claim; the session as it is after. */
  const refresh = async (claimed: ActiveSession): Promise<ActiveSession | undefined> => {
    const refreshToken = claimed.refreshToken ? crypto.open(claimed.refreshToken) : undefined;
    if (!refreshToken) {
      await deleteSession(db, claimed.idHash);
      return undefined;
    }
    let tokens: oidc.TokenEndpointResponse;
    try {
      tokens = await oidc.refreshTokenGrant(await options.discover(), refreshToken, { resource: apiAudience });
    } catch (error) {
      if (isAuthRefusal(error)) {
        await deleteSession(db, claimed.idHash);
        return undefined;
      }
      brokenUntil = Date.now() + breakerMs;
      log.warn({ err: error, retryInMs: breakerMs }, 'access token refresh failed; serving sessions on their tokens');
      await releaseRefresh(db, claimed.idHash);
      return claimed;
    }
    let viewer: Caller;
    try {
      viewer = await options.verify(tokens.access_token);
    } catch (error) {
      // A token this service refuses (the account was deactivated meanwhile): the session is over.
      if (!isAppError(error) || error.category !== 'unauthenticated') {
        await releaseRefresh(db, claimed.idHash);
        throw error;
      }
      await deleteSession(db, claimed.idHash);
      return undefined;
    }
    const next = {
      viewer,
      accessToken: crypto.seal(tokens.access_token),
      accessExpiresAt: expiresAt(tokens),
      refreshToken: tokens.refresh_token ? crypto.seal(tokens.refresh_token) : null,
    };
    await updateTokens(db, claimed.idHash, next);
    return { ...claimed, ...next, refreshToken: next.refreshToken ?? claimed.refreshToken };
  };

  const claimHeld = (session: ActiveSession) => (session.refreshClaimedUntil?.getTime() ?? 0) > Date.now();

  /**
   * Another request holds the claim and the token has expired: wait, connection-free, until it
   * has new tokens or gives the claim back.
   */
  const awaitOthers = async (session: ActiveSession): Promise<ActiveSession | undefined> => {
    let latest: ActiveSession | undefined = session;
    for (let waited = 0; waited < leaseSeconds * 1000; waited += pollMs) {
      await sleep(pollMs);
      latest = await findActive(db, session.idHash);
      if (!latest || !expired(latest) || !claimHeld(latest)) break;
    }
    return latest;
  };

  return {
    authUnreachable,
    current: async (idHash) => {
      let session = await findActive(db, idHash);
      // Twice at most: when the request that held the claim gave it back without new tokens (it
      // found auth unreachable, maybe in another instance), this one tries, and learns it too.
      for (let attempt = 0; attempt < 2; attempt++) {
        if (!session || !dueSoon(session) || authUnreachable()) return session;
        const claimed = await claimRefresh(db, idHash, Math.ceil(marginMs / 1000), leaseSeconds);
        if (claimed) return refresh(claimed);
        if (!expired(session)) return session;
        session = await awaitOthers(session);
      }
      return session;
    },
  };
};

/** openid-client's timeout is in seconds. */
export const timeoutSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
