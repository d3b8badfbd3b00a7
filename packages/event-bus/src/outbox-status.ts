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

/**
 * The outbox rows after the relay's cursor (not confirmed by the transport yet), for callers
 * with a plain `pg` connection (the chaos run, e2e tests): one row, `n`.
 */
export const outboxBacklogSql = `select count(*)::integer as n from outbox
  where (transaction_id, position) > (select transaction_id, position from outbox_relay)`;

/**
 * Backlog and ages: a range of the relay-order index after the cursor (cheap enough for every
 * scrape). The cursor is read first and given as values, so that the count is planned for where
 * it is — a join is planned for a cursor anywhere, as a scan of the whole outbox.
 */
export const outboxStatus = async (db: AnyDb): Promise<OutboxStatus> => {
  const cursor = await sql<{ transaction_id: string; position: number; sent_at: Date | null }>`
    select transaction_id::text, position, sent_at from outbox_relay`.execute(db);
  const at = cursor.rows[0];
  if (!at) return { backlog: 0, oldestUnsentAgeSeconds: null, lastSentAt: null };
  const { rows } = await sql<{ backlog: number; age: number | null }>`
    select count(*)::integer as backlog, extract(epoch from now() - min(created_at))::float8 as age from outbox
    where (transaction_id, position) > (${at.transaction_id}::xid8, ${at.position}::bigint)`.execute(db);
  return {
    backlog: rows[0]?.backlog ?? 0,
    oldestUnsentAgeSeconds: rows[0]?.age ?? null,
    lastSentAt: at.sent_at,
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
  let after = { transactionId: '0', position: 0 };
  let sent = 0;
  for (;;) {
    // In the order the relay sent them, up to its cursor.
    const { rows } = await sql<{ transaction_id: string; position: number; event_name: string; body: string }>`
      select o.transaction_id::text, o.position, o.event_name, o.envelope::text as body
      from outbox o, outbox_relay r
      where (o.transaction_id, o.position) > (${after.transactionId}::xid8, ${after.position}::bigint)
        and (o.transaction_id, o.position) <= (r.transaction_id, r.position)
        ${options.eventNames && options.eventNames.length > 0 ? sql`and o.event_name = any(${[...options.eventNames]}::text[])` : sql``}
        ${options.since ? sql`and o.created_at >= ${options.since}` : sql``}
      order by o.transaction_id, o.position limit ${batchSize}`.execute(db);
    const last = rows[rows.length - 1];
    if (!last) return sent;
    await transport.sendToGroup(
      options.group,
      rows.map((r) => ({ eventName: r.event_name, body: r.body })),
    );
    sent += rows.length;
    after = { transactionId: last.transaction_id, position: last.position };
  }
};
