import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (salt and hash in base64url).
 * The cost parameters travel with each hash, so raising them later needs no migration: old
 * hashes still verify and `needsRehash` tells when to store a stronger one.
 *
 * Cost: N = 2^15, r = 8, p = 1 (32 MiB and tens of milliseconds per hash on a laptop core) —
 * RFC 7914's interactive-login figure. OWASP's current advice is N = 2^17; raise `current.logN`
 * when the hardware allows.
 */
const current = { logN: 15, r: 8, p: 1 } as const;
const saltBytes = 16;
const keyBytes = 32;
const format = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([\w-]{16,})\$([\w-]{32,})$/;

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

const optionsFor = (logN: number, r: number, p: number): ScryptOptions => {
  const N = 2 ** logN;
  // Node refuses to use more than 32 MiB by default; 128·N·r bytes is what scrypt needs.
  return { N, r, p, maxmem: 128 * N * r * p + 1_048_576 };
};

export const minimumPasswordLength = 12;

/** Hashes `password` with a fresh random salt. */
export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(saltBytes);
  const key = await scrypt(password, salt, keyBytes, optionsFor(current.logN, current.r, current.p));
  return ['scrypt', current.logN, current.r, current.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
};

/**
 * True when `password` matches `stored`. Compares in constant time; a malformed `stored` value is
 * a programming or data error and throws rather than quietly refusing everyone.
 */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const match = format.exec(stored);
  if (!match) throw new Error('Stored password hash has an unknown format.');
  const [, logN, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(
    password,
    Buffer.from(salt, 'base64url'),
    expected.length,
    optionsFor(Number(logN), Number(r), Number(p)),
  );
  return timingSafeEqual(actual, expected);
};

/** True when `stored` was made with weaker parameters than today's. */
export const needsRehash = (stored: string): boolean => {
  const match = format.exec(stored);
  return !match || Number(match[1]) < current.logN || Number(match[2]) < current.r || Number(match[3]) < current.p;
};

/**
 * A hash of a random password, computed once: signing in with an unknown email still runs one
 * scrypt verification against it, so the response time does not tell whether the account exists.
 */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(18).toString('base64url')));

const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password for generated accounts: 20 characters from an unambiguous alphabet (~115 bits). */
export const generatePassword = (length = 20): string => {
  const out: string[] = [];
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out.push(alphabet[byte % alphabet.length] as string);
    }
  }
  return out.join('');
};
