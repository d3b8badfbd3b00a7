import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql, type Generated, type Kysely } from 'kysely';
import { createDb, createPool, migrate, type Migration } from '@ates/db';
import { newEnvelope, type AnyEvent, type EventOf } from '@ates/schema-registry';
import type { ConsumerDefinition } from '../consumer.js';
import { eventBusMigrations } from '../migrations.js';
import { outboxStatus } from '../outbox-status.js';
import type { BusTables } from '../tables.js';

/** A service database for the suite: the bus's tables plus `applied`, which handlers write to. */
export interface TestTables extends BusTables {
  // Deliberately no unique constraint: an event applied twice shows up as two rows.
  applied: { id: Generated<number>; consumer: string; event_id: string; seq: number; note: string; instance: string };
}

const testMigrations: readonly Migration[] = [
  ...eventBusMigrations,
  {
    name: '0001_applied',
    up: async (db) => {
      await sql`
        create table applied (
          id bigint generated always as identity primary key,
          consumer text not null,
          event_id uuid not null,
          seq integer not null,
          note text not null,
          instance text not null default ''
        )`.execute(db);
    },
  },
];

export interface ServiceDatabase {
  readonly url: string;
  readonly db: Kysely<TestTables>;
  close(): Promise<void>;
}

export const openServiceDatabase = async (url: string): Promise<ServiceDatabase> => {
  const db = createDb<TestTables>(createPool(url, { max: 12, applicationName: 'ates-bus-test' }));
  await migrate(db, testMigrations, 'bus-test');
  return { url, db, close: () => db.destroy() };
};

export type Ping = EventOf<'Test.Pinged', 1>;

/** A valid Test.Pinged v1 with the producer's sequence number. */
export const ping = (seq: number, note = 'ok'): Ping =>
  newEnvelope('Test.Pinged', 1, { producer_seq: seq, note }, { producer: 'compliance' });

export const pingV2 = (seq: number): EventOf<'Test.Pinged', 2> =>
  newEnvelope('Test.Pinged', 2, { producer_seq: seq, note: 'v2', extra: 'x' }, { producer: 'compliance' });

export { eventually } from '@ates/testing';

export const appliedRows = (db: Kysely<TestTables>, consumer: string) =>
  db
    .selectFrom('applied')
    .select(['id', 'event_id', 'seq', 'note', 'instance'])
    .where('consumer', '=', consumer)
    .orderBy('id')
    .execute();

/** Outbox rows after the relay's cursor (not confirmed by the transport yet). */
export const unsentCount = async (db: Kysely<TestTables>): Promise<number> => (await outboxStatus(db)).backlog;

export const countApplied = async (db: Kysely<TestTables>, consumer: string): Promise<number> =>
  (await appliedRows(db, consumer)).length;

/** A fixture running in its own process, so that it can be killed with SIGKILL. */
export interface Fixture {
  /** Resolves with the first output line matching `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal: NodeJS.Signals): Promise<void>;
  readonly child: ChildProcess;
}

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export const spawnFixture = (file: string, env: Record<string, string>): Fixture => {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
    for (const l of listeners) l();
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const l of listeners) l();
    });
  }
  return {
    child,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines.find((l) => pattern.test(l));
          if (found !== undefined) return finish(() => resolve(found));
          if (exited)
            return finish(() =>
              reject(new Error(`fixture ${file} exited before printing ${pattern}; output:\n${lines.join('\n')}`)),
            );
        };
        const timer = setTimeout(
          () =>
            finish(() => reject(new Error(`fixture ${file} never printed ${pattern}; output:\n${lines.join('\n')}`))),
          timeoutMs,
        );
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      }),
    kill: async (signal) => {
      if (!exited) child.kill(signal);
      await exit;
    },
  };
};

export type Handle = ConsumerDefinition<TestTables>['handlers']['Test.Pinged'];

/** A handler recording each Test.Pinged it applies in `applied` (run in the inbox's transaction). */
export const recording = (
  name: string,
  instance = '',
  before?: (event: AnyEvent & { event_name: 'Test.Pinged' }) => Promise<void> | void,
): Handle => ({
  versions: [1],
  handle: async (tx, event) => {
    await before?.(event);
    await tx
      .insertInto('applied')
      .values({
        consumer: name,
        event_id: event.event_id,
        seq: event.data.producer_seq,
        note: event.data.note,
        instance,
      })
      .execute();
  },
});

export const deferred = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
