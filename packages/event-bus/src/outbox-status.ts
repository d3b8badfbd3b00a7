import { sql, type Kysely } from 'kysely';
import type { Transport } from './transport.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export interface OutboxStatus {
  /** Events not yet confirmed by the transport. */
  readonly backlog: number;
  /** Age of the oldest of them, in seconds; null when there are none. */
  readonly oldestUnsentAgeSeconds: number | null;
  /** When the newest sent event was confirmed; null when none is retained. */
  readonly lastSentAt: Date | null;
}

/** Backlog and ages, from the partial index on unsent rows (cheap enough for every scrape). */
export const outboxStatus = async (db: AnyDb): Promise<OutboxStatus> => {
  const unsent = await sql<{ backlog: number; age: number | null }>`
    select count(*)::integer as backlog, extract(epoch from now() - min(created_at))::float8 as age
    from outbox where sent_at is null`.execute(db);
  // The newest positions are the most recently sent: a short backward scan of the primary key.
  const last = await sql<{ sent_at: Date }>`
    select sent_at from (select sent_at from outbox order by position desc limit 1000) as recent
    where sent_at is not null order by sent_at desc limit 1`.execute(db);
  const row = unsent.rows[0];
  return {
    backlog: row?.backlog ?? 0,
    oldestUnsentAgeSeconds: row?.age ?? null,
    lastSentAt: last.rows[0]?.sent_at ?? null,
  };
};

export interface ReplayOutboxOptions {
  /** The consumer group to send to (only it receives the events). */
  readonly group: string;
  /** Only these event names; all when omitted. */
  readonly eventNames?: readonly string[];
  /** Only events written at or after this time. */
  readonly since?: Date;
  readonly batchSize?: number;
}

/**
 * Sends the retained (already sent) outbox events again, in their original order, to one
 * consumer group: how a consumer whose database was lost is rebuilt. Its inbox drops what it
 * already applied. Returns the number of events sent.
 */
export const replayOutbox = async (db: AnyDb, transport: Transport, options: ReplayOutboxOptions): Promise<number> => {
  const batchSize = options.batchSize ?? 1_000;
  let after = 0;
  let sent = 0;
  for (;;) {
    const { rows } = await sql<{ position: number; event_name: string; body: string }>`
      select position, event_name, envelope::text as body from outbox
      where position > ${after} and sent_at is not null
        ${options.eventNames && options.eventNames.length > 0 ? sql`and event_name = any(${[...options.eventNames]}::text[])` : sql``}
        ${options.since ? sql`and created_at >= ${options.since}` : sql``}
      order by position limit ${batchSize}`.execute(db);
    if (rows.length === 0) return sent;
    await transport.sendToGroup(
      options.group,
      rows.map((r) => ({ eventName: r.event_name, body: r.body })),
    );
    sent += rows.length;
    after = rows[rows.length - 1]?.position ?? after;
  }
};
