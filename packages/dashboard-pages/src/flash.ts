import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Flash } from '@ates/ui';

/**
 * One flash message carried across a redirect (post → redirect → get) in a short-lived cookie:
 * `base64url(JSON).mac`. The MAC (a key derived from DASHBOARD_SESSION_SECRET; every listed
 * secret is accepted) keeps anyone else from putting words on the page; the page escapes the
 * text in any case.
 */
export interface FlashCodec {
  encode(flash: Flash): string;
  /** The message, or undefined when the cookie is missing, altered or not ours. */
  decode(value: string | undefined): Flash | undefined;
}

/** Long enough for the redirect that follows, short enough not to show up a day later. */
export const flashMaxAgeSeconds = 60;
const maxMessageLength = 500;

const kinds = new Set<Flash['kind']>(['success', 'error', 'info']);

export const createFlashCodec = (secrets: readonly string[]): FlashCodec => {
  const keys = secrets.map((s) => Buffer.from(hkdfSync('sha256', s, 'ates-dashboard-flash', 'flash', 32)));
  const mac = (key: Buffer, payload: string): Buffer => createHmac('sha256', key).update(payload, 'utf8').digest();
  return {
    encode: (flash) => {
      const payload = Buffer.from(
        JSON.stringify({ k: flash.kind, m: flash.message.slice(0, maxMessageLength) }),
        'utf8',
      ).toString('base64url');
      return `${payload}.${mac(keys[0] as Buffer, payload).toString('base64url')}`;
    },
    decode: (value) => {
      const [payload, given, extra] = (value ?? '').split('.');
      if (!payload || !given || extra !== undefined) return undefined;
      const signature = Buffer.from(given, 'base64url');
      if (
        !keys.some((key) => {
          const expected = mac(key, payload);
          return expected.length === signature.length && timingSafeEqual(expected, signature);
        })
      )
        return undefined;
      try {
        const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { k?: unknown; m?: unknown };
        return typeof parsed.m === 'string' && kinds.has(parsed.k as Flash['kind'])
          ? { kind: parsed.k as Flash['kind'], message: parsed.m }
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
};
