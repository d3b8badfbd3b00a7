import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { openServiceDatabase, ping, type ServiceDatabase } from './compliance/support.js';
import {
  countOpenDeadLetters,
  discardDeadLetters,
  getDeadLetter,
  listDeadLetters,
  replayDeadLetters,
  writeDeadLetter,
} from './dead-letters.js';
import { RecordingTransport } from './test-support.js';

let database: TestDatabase;
let service: ServiceDatabase;

beforeAll(async () => {
  database = await createTestDatabase('dlq');
  service = await openServiceDatabase(database.url);
});
afterAll(async () => {
  await service.close();
  await database.drop();
});

const letter = (consumer: string, body: string, envelope?: unknown) =>
  writeDeadLetter(service.db, {
    consumer,
    queue: consumer,
    body,
    envelope,
    reason: 'handler failed: boom',
    error: 'boom',
    stack: 'Error: boom\n    at test',
    attempts: 3,
  });

describe('dead-letter operations', () => {
  test("list, show, replay one or all to the consumer's group, discard; closed letters cannot be replayed", async () => {
    const event = ping(1);
    const a1 = await letter('a.one', JSON.stringify(event), event);
    const a2 = await letter('a.one', 'garbage \u0000 with a NUL');
    const b1 = await letter('b.two', '[1, 2]', [1, 2]);
    expect(await countOpenDeadLetters(service.db)).toEqual({ 'a.one': 2, 'b.two': 1 });

    const listed = await listDeadLetters(service.db, { consumer: 'a.one' });
    expect(listed.map((l) => [l.id, l.eventId, l.eventName, l.eventVersion, l.state])).toEqual([
      [a1, event.event_id, 'Test.Pinged', 1, 'open'],
      [a2, null, null, null, 'open'],
    ]);
    const shown = await getDeadLetter(service.db, a2);
    expect(shown).toMatchObject({
      body: 'garbage \\0 with a NUL',
      envelope: null,
      error: 'boom',
      stack: 'Error: boom\n    at test',
      attempts: 3,
    });
    expect((await getDeadLetter(service.db, b1)).envelope).toEqual([1, 2]);
    await expect(getDeadLetter(service.db, 999_999)).rejects.toMatchObject({ code: 'dead_letter.not_found' });

    const transport = new RecordingTransport();
    expect(await replayDeadLetters(service.db, transport, { id: a1 })).toBe(1);
    expect(transport.sent).toEqual([{ group: 'a.one', eventName: 'Test.Pinged', body: JSON.stringify(event) }]);
    await expect(replayDeadLetters(service.db, transport, { id: a1 })).rejects.toMatchObject({
      code: 'dead_letter.settled',
    });
    await expect(discardDeadLetters(service.db, { id: a1 })).rejects.toMatchObject({ code: 'dead_letter.settled' });

    expect(await discardDeadLetters(service.db, { id: a2 })).toBe(1);
    expect(await replayDeadLetters(service.db, transport, {})).toBe(1); // only b1 is still open
    expect(transport.sent.map((m) => m.group)).toEqual(['a.one', 'b.two']);
    expect(await listDeadLetters(service.db)).toEqual([]);
    expect((await listDeadLetters(service.db, { all: true })).map((l) => l.state)).toEqual([
      'replayed',
      'discarded',
      'replayed',
    ]);
    expect(await countOpenDeadLetters(service.db)).toEqual({});
  });

  test('a replay that the transport refuses leaves the letters open', async () => {
    const id = await letter('c.three', '{}', {});
    const transport = new RecordingTransport();
    transport.failing = true;
    await expect(replayDeadLetters(service.db, transport, { consumer: 'c.three' })).rejects.toThrow(
      'broker unreachable',
    );
    expect((await getDeadLetter(service.db, id)).state).toBe('open');
    expect(await discardDeadLetters(service.db, { consumer: 'c.three' })).toBe(1);
  });
});
