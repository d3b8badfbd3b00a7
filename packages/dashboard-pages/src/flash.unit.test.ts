import { describe, expect, it } from 'vitest';
import { createFlashCodec } from './flash.js';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);

describe('flash cookie', () => {
  it('carries a message across a redirect', () => {
    const codec = createFlashCodec([a]);
    const message = {
      kind: 'success' as const,
      message: 'Task “Refill the millet” created and assigned to Polly Popug.',
    };
    expect(codec.decode(codec.encode(message))).toEqual(message);
  });

  it('refuses a cookie it did not sign, or one that was altered', () => {
    const codec = createFlashCodec([a]);
    const value = codec.encode({ kind: 'info', message: 'hello' });
    expect(createFlashCodec([b]).decode(value)).toBeUndefined();
    const forged = `${Buffer.from(JSON.stringify({ k: 'error', m: 'Your account is locked; call 555-0100' })).toString('base64url')}.${value.split('.')[1]}`;
    expect(codec.decode(forged)).toBeUndefined();
    expect(codec.decode(undefined)).toBeUndefined();
    expect(codec.decode('garbage')).toBeUndefined();
  });

  it('keeps reading the previous secret after a rotation', () => {
    const value = createFlashCodec([a]).encode({ kind: 'error', message: 'The task is already done.' });
    expect(createFlashCodec([b, a]).decode(value)).toEqual({ kind: 'error', message: 'The task is already done.' });
  });
});
