import { describe, expect, it } from 'vitest';
import { createSessionCrypto, hashSessionId } from './crypto.js';

const secretA = 'a'.repeat(40);
const secretB = 'b'.repeat(40);

describe('session crypto', () => {
  it('accepts the cookie it signed and refuses an altered or foreign one', () => {
    const crypto = createSessionCrypto([secretA]);
    const { id, cookie } = crypto.newSession();
    expect(crypto.idFromCookie(cookie)).toBe(id);
    expect(crypto.idFromCookie(`${id}x.${cookie.split('.')[1]}`)).toBeUndefined();
    expect(crypto.idFromCookie(createSessionCrypto([secretB]).newSession().cookie)).toBeUndefined();
    expect(crypto.idFromCookie('no-signature')).toBeUndefined();
  });

  it('keeps accepting cookies and tokens of the previous secret after a rotation', () => {
    const before = createSessionCrypto([secretA]);
    const after = createSessionCrypto([secretB, secretA]);
    const { id, cookie } = before.newSession();
    expect(after.idFromCookie(cookie)).toBe(id);
    expect(after.open(before.seal('refresh-token'))).toBe('refresh-token');
    expect(createSessionCrypto([secretB]).open(before.seal('refresh-token'))).toBeUndefined();
  });

  it('encrypts with a fresh nonce each time and detects tampering', () => {
    const crypto = createSessionCrypto([secretA]);
    const one = crypto.seal('token');
    expect(crypto.seal('token')).not.toBe(one);
    const [version, iv, body, tag] = one.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 0xff;
    expect(crypto.open([version, iv, flipped.toString('base64url'), tag].join('.'))).toBeUndefined();
    expect(crypto.open(one)).toBe('token');
  });

  it('stores session ids only hashed', () => {
    const { id } = createSessionCrypto([secretA]).newSession();
    expect(hashSessionId(id)).not.toContain(id);
    expect(hashSessionId(id)).toBe(hashSessionId(id));
  });
});
