import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDb, createPool, migrate } from '@ates/db';
import { connectTransport, eventBusMigrations, getDeadLetter, writeDeadLetter } from '@ates/event-bus';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { outboxStatusCommand } from '../outbox/outbox.js';
import { dlqDiscard, dlqList, dlqReplay, dlqShow } from './dlq.js';

let service: TestDatabase;
let bus: TestDatabase;
const saved = { DATABASE_URL: process.env.DATABASE_URL, EVENT_TRANSPORT_URL: process.env.EVENT_TRANSPORT_URL };

beforeAll(async () => {
  service = await createTestDatabase('clisvc');
  bus = await createTestDatabase('clibus');
  const db = createDb(createPool(service.url, { max: 1 }));
  await migrate(db, eventBusMigrations, 'tracker');
  await db.destroy();
  // The commands read their databases from the environment, as `ates dlq … --service tracker` does.
  process.env.DATABASE_URL = service.url;
  process.env.EVENT_TRANSPORT_URL = bus.url;
});
afterAll(async () => {
  Object.assign(process.env, saved);
  await service.drop();
  await bus.drop();
});

const output = (): { lines: string[]; print: (line: string) => void } => {
  const lines: string[] = [];
  return { lines, print: (line) => void lines.push(line) };
};

describe('ates dlq and ates outbox', () => {
  test('list, show, replay and discard dead letters; outbox status', async () => {
    const db = createDb(createPool(service.url, { max: 1 }));
    try {
      const first = await writeDeadLetter(db, {
        consumer: 'tracker.accounts',
        queue: 'tracker.accounts',
        body: '{oops',
        reason: 'body is not JSON',
        error: 'Unexpected token o',
        attempts: 0,
      });
      const second = await writeDeadLetter(db, {
        consumer: 'tracker.accounts',
        queue: 'tracker.accounts',
        body: '{}',
        envelope: {},
        reason: 'invalid event: missing envelope field event_id',
        error: 'x',
        attempts: 0,
      });

      const listed = output();
      await dlqList({ service: 'tracker' }, listed.print);
      expect(listed.lines).toHaveLength(3);
      expect(listed.lines[1]).toMatch(
        new RegExp(`^\\s+${first}\\s+open\\s+tracker\\.accounts\\s+-\\s+0\\s+\\S+\\s+body is not JSON$`),
      );

      const shown = output();
      await dlqShow(String(first), { service: 'tracker' }, shown.print);
      expect(JSON.parse(shown.lines.join('\n'))).toMatchObject({
        id: first,
        body: '{oops',
        error: 'Unexpected token o',
        state: 'open',
      });

      await expect(dlqReplay(undefined, { service: 'tracker' }, () => undefined)).rejects.toMatchObject({
        code: 'cli.invalid_arguments',
      });
      await expect(dlqShow('seven', { service: 'tracker' }, () => undefined)).rejects.toMatchObject({
        code: 'cli.invalid_arguments',
      });

      const replayed = output();
      await dlqReplay(String(first), { service: 'tracker' }, replayed.print);
      expect(replayed.lines).toEqual(['Replayed 1 dead letter.']);
      const transport = await connectTransport(bus.url);
      try {
        expect(await transport.lag('tracker.accounts')).toBe(1); // waiting in the group's queue
      } finally {
        await transport.close();
      }

      const discarded = output();
      await dlqDiscard(undefined, { service: 'tracker', all: true }, discarded.print);
      expect(discarded.lines).toEqual(['Discarded 1 dead letter.']);
      expect((await getDeadLetter(db, second)).state).toBe('discarded');

      const empty = output();
      await dlqList({ service: 'tracker' }, empty.print);
      expect(empty.lines).toEqual(['No open dead letters in tracker.']);

      const status = output();
      await outboxStatusCommand({ service: 'tracker' }, status.print);
      expect(status.lines).toEqual([
        'tracker outbox',
        '  unsent events:        0',
        '  oldest unsent:        -',
        '  last sent:            -',
      ]);
    } finally {
      await db.destroy();
    }
  });

  test('an unknown service is refused with the list of services', async () => {
    await expect(dlqList({ service: 'payroll' }, () => undefined)).rejects.toThrow(
      /Unknown service "payroll": expected one of auth, tracker, accounting, analytics/,
    );
  });
});
