import type { ColumnType, Generated } from 'kysely';

/**
 * The event bus's tables in a service's database, as Kysely sees them (see migrations.ts).
 * Services never touch them directly: they go through publish, the consumer runtime and the
 * operations functions.
 */
export interface BusTables {
  outbox: {
    position: ColumnType<number, never, never>;
    event_id: string;
    event_name: string;
    event_version: number;
    envelope: ColumnType<unknown, string, string>;
    created_at: ColumnType<Date, never, never>;
    /** The writing transaction's id (xid8, as text): with position, the order the relay sends in. */
    transaction_id: ColumnType<string, never, never>;
  };
  /** One row: the relay's cursor, the last event the transport confirmed (see migrations.ts). */
  outbox_relay: {
    singleton: ColumnType<boolean, never, never>;
    transaction_id: string;
    position: number;
    sent_at: Date | null;
  };
  inbox: {
    consumer: string;
    event_id: string;
    attempts: number;
    processed_at: Generated<Date>;
  };
  dead_letters: {
    id: ColumnType<number, never, never>;
    consumer: string;
    queue: string;
    event_id: string | null;
    event_name: string | null;
    event_version: number | null;
    body: string;
    envelope: ColumnType<unknown, string | null, string | null>;
    reason: string;
    error: string;
    stack: string | null;
    attempts: number;
    failed_at: Generated<Date>;
    replayed_at: ColumnType<Date | null, never, Date | null>;
    discarded_at: ColumnType<Date | null, never, Date | null>;
  };
}
