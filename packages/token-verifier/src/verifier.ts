import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError, refuse } from '@ates/errors';
import { isRole } from '@ates/roles';
import type { Caller } from './caller.js';
import { applyStanding, type AccountStandings } from './standing.js';
import { createTokenCache } from './token-cache.js';

export interface TokenVerifierOptions {
  /** The auth service's issuer identifier, e.g. http://localhost:4000; tokens from any other are refused. */
  readonly issuer: string;
  /** The audience the token must be for: the API resource indicator, `urn:ates:api`. */
  readonly audience: string;
  /** Where the public keys come from: `remoteJwks(…)` in a service, the key table in auth itself. */
  readonly keys: JWTVerifyGetKey;
  /** Signature algorithms accepted; everything else (`none`, HS256 with a public key, …) is refused. */
  readonly algorithms?: readonly string[];
  /** Leeway for clocks that differ between hosts. */
  readonly clockToleranceSeconds?: number;
  /**
   * The service's own knowledge of accounts, checked on every request: a deactivated account is
   * refused and a changed role applies at once, not when the token expires. Without it, the token
   * alone decides.
   */
  readonly accounts?: AccountStandings;
  /**
   * Most verified tokens kept (by their exact string, until they expire), so that a client's
   * repeated requests cost a lookup instead of a signature check; default 5,000, 0 keeps none.
   * The account standing above is still looked up on every request.
   */
  readonly maxCachedTokens?: number;
  /**
   * Changes whenever the trusted key set does (`RemoteJwks.version`): tokens verified against an
   * earlier key set are verified again, so a withdrawn key stops counting at once. Without it,
   * a kept token counts until it expires.
   */
  readonly keysVersion?: () => number;
  /** Milliseconds since the epoch; for tests. */
  readonly now?: () => number;
}

export interface TokenVerifier {
  /**
   * The caller the access token describes. Throws an `unauthenticated` AppError (401) that says
   * why — never quoting the token — when it is not acceptable, and an `unavailable` one (503)
   * when no key to check it with can be had (auth unreachable and nothing cached).
   */
  verify(token: string): Promise<Caller>;
}

const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]*$/;
// Account ids are the auth service's public ids: UUIDs, which is what every service stores them as.
const accountId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const reasonFor = (error: unknown): string | undefined => {
  if (error instanceof errors.JWTExpired) return 'the access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'the access token was issued by another issuer';
    if (error.claim === 'aud') return 'the access token is meant for another audience';
    if (error.claim === 'nbf') return 'the access token is not valid yet';
    return `the access token's ${error.claim} claim is invalid (${error.reason})`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return 'the access token is signed with an algorithm that is not accepted';
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'the access token is signed with a key the auth service does not publish';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the access token signature does not match';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'the access token is malformed';
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return 'the access token names no key and several could have signed it';
  return undefined;
};

const callerOf = (payload: JWTPayload): Caller => {
  const { sub, role, name, email } = payload as JWTPayload & Record<string, unknown>;
  const missing = [
    typeof sub === 'string' && accountId.test(sub) ? undefined : 'sub',
    isRole(role) ? undefined : 'role',
    typeof name === 'string' ? undefined : 'name',
    typeof email === 'string' ? undefined : 'email',
  ].filter((c): c is string => c !== undefined);
  if (missing.length > 0)
    throw refuse('auth.token_invalid', `The access token lacks valid ${missing.join(', ')} claims.`);
  return {
    id: (sub as string).toLowerCase(),
    role: role as Caller['role'],
    name: name as string,
    email: email as string,
  };
};

/** The account's version when the token was issued; 0 for tokens from before the claim existed. */
const accountVersionOf = (payload: JWTPayload): number => {
  const version = (payload as Record<string, unknown>).account_version;
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 0 ? version : 0;
};

/**
 * Verifies aTES access tokens locally: a JWT signed by one of the keys the auth service publishes,
 * issued by the pinned issuer for the pinned audience, with one of the pinned algorithms, not
 * expired, carrying sub, role, name and email. No call to the auth service per request.
 *
 * A token that passed is kept (see `createTokenCache`) until it expires, while its key set stays
 * the same: the same string again costs a lookup. A token that differs in any character — another
 * signature, a payload edited — is another key, and is verified from scratch.
 */
export const createTokenVerifier = (options: TokenVerifierOptions): TokenVerifier => {
  const algorithms = [...(options.algorithms ?? ['RS256'])];
  const tolerance = options.clockToleranceSeconds ?? 30;
  const now = options.now ?? Date.now;
  const keysVersion = options.keysVersion ?? (() => 0);
  const verified = createTokenCache<{ caller: Caller; accountVersion: number }>(
    options.maxCachedTokens ?? 5_000,
    tolerance,
  );

  /** Signature and claims: what the token itself proves, cached by the token's exact string. */
  const claimsOf = async (token: string): Promise<{ caller: Caller; accountVersion: number }> => {
    const nowMs = now();
    const version = keysVersion();
    const kept = verified.get(token, Math.floor(nowMs / 1000), version);
    if (kept) return kept;
    if (!jwtShape.test(token)) throw refuse('auth.token_invalid', 'The access token is malformed: expected a JWT.');
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: tolerance,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(nowMs),
      });
      // jose checks iat only against a maximum age; a token "issued" in the future is forged or
      // comes from a clock gone wrong, and would outlive its lifetime.
      if ((payload.iat as number) > nowMs / 1000 + tolerance)
        throw refuse('auth.token_invalid', 'Refused: the access token was issued in the future.');
      const claims = { caller: callerOf(payload), accountVersion: accountVersionOf(payload) };
      // Kept under the key set current when verification started: a change while it ran makes
      // the next request verify it again.
      verified.set(token, { value: claims, exp: payload.exp as number, keysVersion: version });
      return claims;
    } catch (error) {
      if (error instanceof AppError) throw error;
      const reason = reasonFor(error);
      if (reason)
        throw refuse(
          error instanceof errors.JWTExpired ? 'auth.token_expired' : 'auth.token_invalid',
          `Refused: ${reason}.`,
        );
      throw error;
    }
  };

  return {
    verify: async (token) => {
      const { caller, accountVersion } = await claimsOf(token);
      // What the service knows about the account now, on every request, cached token or not.
      return options.accounts ? applyStanding(caller, accountVersion, await options.accounts.of(caller.id)) : caller;
    },
  };
};
