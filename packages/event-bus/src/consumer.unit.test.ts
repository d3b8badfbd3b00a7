import { describe, expect, test } from 'vitest';
import type { Kysely } from 'kysely';
import { createLogger } from '@ates/logger';
import { newEnvelope } from '@ates/schema-registry';
import { ConsumerCore, consumer } from './consumer.js';
import { testRegistry } from './test-events.js';

// check() never touches the database; the handlers are never called.
const core = new ConsumerCore(
  consumer({ name: 'unit.pings', handlers: { 'Test.Pinged': { versions: [1], handle: async () => undefined } } }),
  { db: undefined as unknown as Kysely<unknown>, logger: createLogger('unit', 'silent'), registry: testRegistry },
);
const reasonOf = (body: string): string | undefined => {
  const checked = core.check(body);
  return 'reason' in checked ? checked.reason : undefined;
};
const good = newEnvelope('Test.Pinged', 1, { producer_seq: 1, note: 'x' }, { producer: 'unit' });

describe('what a consumer makes of a delivery', () => {
  test('a valid, accepted event goes to its handler', () => {
    const checked = core.check(JSON.stringify(good));
    expect('event' in checked && checked.event).toEqual(good);
  });

  test.each([
    ['garbage', '\u00ff\u00fe\u0001binary', 'body is not JSON'],
    ['empty body', '', 'body is not JSON'],
    ['JSON that is not an object', '42', 'invalid event: event must be object'],
    [
      'missing envelope field',
      JSON.stringify({ ...good, producer: undefined }),
      'invalid event: missing envelope field producer',
    ],
    [
      'unknown event name',
      JSON.stringify({ ...good, event_name: 'Test.Nope' }),
      'invalid event: unknown event Test.Nope v1',
    ],
    [
      'invalid payload',
      JSON.stringify({ ...good, data: { producer_seq: 1 } }),
      'invalid event: missing data field note',
    ],
    [
      'version not accepted',
      JSON.stringify(newEnvelope('Test.Pinged', 2, { producer_seq: 1, note: 'x', extra: 'y' }, { producer: 'unit' })),
      'version 2 of Test.Pinged is not accepted by unit.pings',
    ],
    [
      'event not handled',
      JSON.stringify(
        newEnvelope(
          'Account.Deactivated',
          1,
          { public_id: '5b3a4bb8-5b0e-4a52-a8a4-5d2f6e4f0f11', version: 2, deactivated_at: '2024-03-03T10:00:00.000Z' },
          { producer: 'auth' },
        ),
      ),
      'Account.Deactivated is not handled by unit.pings',
    ],
  ])('%s → %s', (_label, body, reason) => {
    expect(reasonOf(body)).toBe(reason);
  });
});

describe('consumer()', () => {
  test('refuses a bad group name, negative settings and versions without a schema', () => {
    expect(() =>
      consumer({
        name: 'Tracker Accounts',
        handlers: { 'Test.Pinged': { versions: [1], handle: async () => undefined } },
      }),
    ).toThrow(/Invalid consumer name/);
    expect(() =>
      consumer({
        name: 'a.b',
        immediateRetries: -1,
        handlers: { 'Test.Pinged': { versions: [1], handle: async () => undefined } },
      }),
    ).toThrow(/must not be negative/);
    expect(() => consumer({ name: 'a.b', handlers: {} })).toThrow(/handles no event/);
    const logger = createLogger('unit', 'silent');
    const db = undefined as unknown as Kysely<unknown>;
    expect(
      () =>
        new ConsumerCore(
          consumer({ name: 'a.b', handlers: { 'Test.Pinged': { versions: [3 as 1], handle: async () => undefined } } }),
          { db, logger, registry: testRegistry },
        ),
    ).toThrow('Consumer a.b accepts Test.Pinged v3, which has no schema.');
  });
});
