/**
 * Tokens already verified, by their exact string, each kept until it expires: a client sends the
 * same access token with every request for its lifetime, and checking its signature and claims
 * again each time would cost the same work to learn the same thing. Bounded, least recently used
 * first out, so a flood of distinct tokens costs memory for `maxEntries` of them and no more.
 *
 * Only what the token itself proves is kept — who the caller was when it was issued, until when —
 * never what the service knows about the account now: that is looked up on every request.
 */
export interface VerifiedToken<T> {
  readonly value: T;
  /** The token's `exp` claim, seconds since the epoch. */
  readonly exp: number;
  /** The key set (see `TokenVerifierOptions.keysVersion`) the token was verified against. */
  readonly keysVersion: number;
}

export interface TokenCache<T> {
  /** The verified token, if it is kept, still valid at `nowSeconds` and from key set `keysVersion`. */
  get(token: string, nowSeconds: number, keysVersion: number): T | undefined;
  set(token: string, entry: VerifiedToken<T>): void;
  readonly size: number;
}

export const createTokenCache = <T>(maxEntries: number, toleranceSeconds: number): TokenCache<T> => {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  const entries = new Map<string, VerifiedToken<T>>();
  return {
    get: (token, nowSeconds, keysVersion) => {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      entries.delete(token);
      // The same bound as jose's own check (`exp <= now - tolerance` is expired); past it, or from
      // a key set since replaced, the token is verified again from scratch, which says why it fails.
      if (entry.exp <= nowSeconds - toleranceSeconds || entry.keysVersion !== keysVersion) return undefined;
      entries.set(token, entry);
      return entry.value;
    },
    set: (token, entry) => {
      if (maxEntries <= 0) return;
      entries.delete(token);
      entries.set(token, entry);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get size() {
      return entries.size;
    },
  };
};
