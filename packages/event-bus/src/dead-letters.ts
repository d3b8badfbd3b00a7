import { sql, type Kysely, type Selectable } from 'kysely';
import { refuse } from '@ates/errors';
import type { BusTables } from './tables.js';
import type { Transport } from './transport.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
const bus = (db: AnyDb): Kysely<BusTables> => db as Kysely<BusTables>;

/** What a consumer records when it gives up on a delivery. */
export interface NewDeadLetter {
  readonly consumer: string;
  readonly queue: string;
  readonly body: string;
  /** The parsed body, when it was JSON. */
  readonly envelope?: unknown;
  readonly reason: string;
  readonly error: string;
  readonly stack?: string | undefined;
  readonly attempts: number;
}

export type DeadLetterState = 'open' | 'replayed' | 'discarded';

export interface DeadLetterSummary {
  readonly id: number;
  readonly consumer: string;
  readonly queue: string;
  readonly eventId: string | null;
  readonly eventName: string | null;
  readonly eventVersion: number | null;
  readonly reason: string;
  readonly attempts: number;
  readonly failedAt: Date;
  readonly state: DeadLetterState;
}

export interface DeadLetter extends DeadLetterSummary {
  readonly body: string;
  readonly envelope: unknown;
  readonly error: string;
  readonly stack: string | null;
  readonly replayedAt: Date | null;
  readonly discardedAt: Date | null;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** PostgreSQL text cannot hold NUL; it is kept visible as the two characters `\0`. */
const storable = (text: string): string => text.replaceAll('\u0000', '\\0');

/**
 * Writes a dead letter. The envelope's id, name and version are copied into columns when the
 * body got that far, even if it was otherwise invalid, so that listing and replay can use them.
 */
export const writeDeadLetter = async (db: AnyDb, letter: NewDeadLetter): Promise<number> => {
  const fields = (letter.envelope ?? {}) as { event_id?: unknown; event_name?: unknown; event_version?: unknown };
  const isObject = typeof letter.envelope === 'object' && letter.envelope !== null;
  const envelopeJson = letter.envelope === undefined ? null : JSON.stringify(letter.envelope);
  const row = await bus(db)
    .insertInto('dead_letters')
    .values({
      consumer: letter.consumer,
      queue: letter.queue,
      event_id: isObject && typeof fields.event_id === 'string' && uuid.test(fields.event_id) ? fields.event_id : null,
      event_name: isObject && typeof fields.event_name === 'string' ? fields.event_name.slice(0, 200) : null,
      event_version:
        isObject && Number.isSafeInteger(fields.event_version) && Math.abs(fields.event_version as number) < 2 ** 31
          ? (fields.event_version as number)
          : null,
      body: storable(letter.body),
      // jsonb refuses \u0000 too; such an envelope stays readable in `body`.
      envelope: envelopeJson !== null && !envelopeJson.includes('\\u0000') ? envelopeJson : null,
      reason: storable(letter.reason),
      error: storable(letter.error),
      stack: letter.stack === undefined ? null : storable(letter.stack),
      attempts: letter.attempts,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
};

const stateOf = (row: { replayed_at: Date | null; discarded_at: Date | null }): DeadLetterState =>
  row.discarded_at ? 'discarded' : row.replayed_at ? 'replayed' : 'open';

export interface ListDeadLettersOptions {
  readonly consumer?: string;
  /** Include replayed and discarded ones. */
  readonly all?: boolean;
  readonly limit?: number;
}

type SummaryRow = Omit<Selectable<BusTables['dead_letters']>, 'body' | 'envelope' | 'error' | 'stack'>;

const summaryOf = (r: SummaryRow): DeadLetterSummary => ({
  id: r.id,
  consumer: r.consumer,
  queue: r.queue,
  eventId: r.event_id,
  eventName: r.event_name,
  eventVersion: r.event_version,
  reason: r.reason,
  attempts: r.attempts,
  failedAt: r.failed_at,
  state: stateOf(r),
});

export const listDeadLetters = async (
  db: AnyDb,
  options: ListDeadLettersOptions = {},
): Promise<DeadLetterSummary[]> => {
  let query = bus(db)
    .selectFrom('dead_letters')
    .select([
      'id',
      'consumer',
      'queue',
      'event_id',
      'event_name',
      'event_version',
      'reason',
      'attempts',
      'failed_at',
      'replayed_at',
      'discarded_at',
    ])
    .orderBy('id')
    .limit(options.limit ?? 100);
  if (options.consumer) query = query.where('consumer', '=', options.consumer);
  if (!options.all) query = query.where('replayed_at', 'is', null).where('discarded_at', 'is', null);
  const rows = await query.execute();
  return rows.map(summaryOf);
};

export const getDeadLetter = async (db: AnyDb, id: number): Promise<DeadLetter> => {
  const r = await bus(db).selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw refuse('dead_letter.not_found', `No dead letter ${id}.`);
  return {
    ...summaryOf(r),
    body: r.body,
    envelope: r.envelope,
    error: r.error,
    stack: r.stack,
    replayedAt: r.replayed_at,
    discardedAt: r.discarded_at,
  };
};

/** Open dead letters per consumer (for the `ates_dead_letters` gauge). */
export const countOpenDeadLetters = async (db: AnyDb): Promise<Record<string, number>> => {
  const rows = await sql<{ consumer: string; n: number }>`
    select consumer, count(*)::integer as n from dead_letters
    where replayed_at is null and discarded_at is null group by consumer`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.consumer, r.n]));
};

export interface DeadLetterSelection {
  /** One dead letter, or every open one (of `consumer`, when given). */
  readonly id?: number;
  readonly consumer?: string;
}

/**
 * Replays open dead letters: each body goes back, unchanged, to the queue of the consumer group
 * that gave up on it, and is marked replayed. Sending and marking happen under a row lock, in
 * batches; if marking fails after sending, the consumer's inbox absorbs the repeat. A replayed
 * letter that fails again becomes a new dead letter. Returns how many were replayed.
 */
export const replayDeadLetters = async (
  db: AnyDb,
  transport: Transport,
  selection: DeadLetterSelection = {},
): Promise<number> => {
  if (selection.id !== undefined) await assertOpen(db, selection.id, 'replayed');
  let replayed = 0;
  for (;;) {
    const done = await bus(db)
      .transaction()
      .execute(async (tx) => {
        let query = tx
          .selectFrom('dead_letters')
          .select(['id', 'consumer', 'event_name', 'body'])
          .where('replayed_at', 'is', null)
          .where('discarded_at', 'is', null)
          .orderBy('id')
          .limit(500)
          .forUpdate()
          .skipLocked();
        if (selection.id !== undefined) query = query.where('id', '=', selection.id);
        if (selection.consumer) query = query.where('consumer', '=', selection.consumer);
        const rows = await query.execute();
        const byConsumer = new Map<string, typeof rows>();
        for (const row of rows) byConsumer.set(row.consumer, [...(byConsumer.get(row.consumer) ?? []), row]);
        for (const [consumer, letters] of byConsumer) {
          await transport.sendToGroup(
            consumer,
            letters.map((l) => ({ eventName: l.event_name ?? 'unknown', body: l.body })),
          );
        }
        if (rows.length > 0) {
          await tx
            .updateTable('dead_letters')
            .set({ replayed_at: new Date() })
            .where(
              'id',
              'in',
              rows.map((r) => r.id),
            )
            .execute();
        }
        return rows.length;
      });
    replayed += done;
    if (done === 0 || selection.id !== undefined) return replayed;
  }
};

/** Marks open dead letters discarded (kept for the record, never replayed). Returns how many. */
export const discardDeadLetters = async (db: AnyDb, selection: DeadLetterSelection = {}): Promise<number> => {
  if (selection.id !== undefined) await assertOpen(db, selection.id, 'discarded');
  let query = bus(db)
    .updateTable('dead_letters')
    .set({ discarded_at: new Date() })
    .where('replayed_at', 'is', null)
    .where('discarded_at', 'is', null);
  if (selection.id !== undefined) query = query.where('id', '=', selection.id);
  if (selection.consumer) query = query.where('consumer', '=', selection.consumer);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
};

const assertOpen = async (db: AnyDb, id: number, verb: string): Promise<void> => {
  const letter = await getDeadLetter(db, id);
  if (letter.state !== 'open')
    throw refuse('dead_letter.settled', `Dead letter ${id} is already ${letter.state}; it cannot be ${verb}.`);
};
