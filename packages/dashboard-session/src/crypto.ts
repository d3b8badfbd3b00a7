import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * The secrets of a dashboard session, all derived from DASHBOARD_SESSION_SECRET (a list: the
 * first signs and encrypts, every one is tried when checking, so a secret can be rotated without
 * signing everyone out):
 *
 *  - the cookie holds a random session id and its HMAC — a forged or altered cookie is refused
 *    before the database is asked;
 *  - the database holds only the SHA-256 of the session id, so a copy of the table cannot be
 *    replayed as cookies;
 *  - the tokens in the table are encrypted (AES-256-GCM), so a copy of the table does not hand
 *    out refresh tokens either.
 */
const derive = (secret: string, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, 'ates-dashboard-session', purpose, 32));

export interface SessionCrypto {
  /** A new random session id and the cookie value carrying it. */
  newSession(): { id: string; cookie: string };
  /** The session id in a cookie value, or undefined when the signature does not match. */
  idFromCookie(cookie: string): string | undefined;
  seal(plaintext: string): string;
  /** Undefined when no secret opens it (rotated away, or tampered with). */
  open(sealed: string): string | undefined;
}

export const hashSessionId = (id: string): string => createHash('sha256').update(id, 'utf8').digest('base64url');

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Constant-time comparison of two strings. */
export const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

export const createSessionCrypto = (secrets: readonly string[]): SessionCrypto => {
  if (secrets.length === 0) throw new Error('at least one session secret is required');
  const signing = secrets.map((s) => derive(s, 'cookie'));
  const sealing = secrets.map((s) => derive(s, 'tokens'));
  const mac = (key: Buffer, id: string): string => createHmac('sha256', key).update(id, 'utf8').digest('base64url');
  return {
    newSession: () => {
      const id = randomToken();
      return { id, cookie: `${id}.${mac(signing[0] as Buffer, id)}` };
    },
    idFromCookie: (cookie) => {
      const dot = cookie.indexOf('.');
      if (dot <= 0) return undefined;
      const id = cookie.slice(0, dot);
      const given = cookie.slice(dot + 1);
      return signing.some((key) => sameToken(mac(key, id), given)) ? id : undefined;
    },
    seal: (plaintext) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealing[0] as Buffer, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        'v1',
        iv.toString('base64url'),
        body.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
      ].join('.');
    },
    open: (sealed) => {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== 'v1' || !iv || body === undefined || !tag) return undefined;
      for (const key of sealing) {
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
          decipher.setAuthTag(Buffer.from(tag, 'base64url'));
          return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
        } catch {
          // not this key
        }
      }
      return undefined;
    },
  };
};
