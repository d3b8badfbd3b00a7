import { sql } from 'kysely';
import type { Migration } from '@ates/db';

/** The channel the outbox trigger notifies; the relay LISTENs on it. */
export const outboxChannel = 'ates_outbox';

/**
 * Set (transaction-local) to `caller` by a statement whose caller wakes the relay itself once it
 * has committed (`outboxInsert(events, { wake: 'caller' })`): the trigger then does not NOTIFY.
 */
export const outboxWakeSetting = 'ates.outbox_wake';

/**
 * The event bus's tables in a service's own database. The service runtime applies them before
 * the service's migrations, in the same `schema_migrations` ledger, so their names start with
 * `0000_event_bus_` and never clash with a service's `0001_…` files. Released migrations never
 * change: a change is a new migration appended to this list.
 */
export const eventBusMigrations: readonly Migration[] = [
  {
    // Events written in the same transaction as the change that caused them. `position` is the
    // order they were written in; the relay sends unsent rows in that order. Sent rows stay for
    // the retention period so that a consumer can be rebuilt by replaying them.
    name: '0000_event_bus_outbox',
    up: async (db) => {
      await sql`
        create table outbox (
          position bigint generated always as identity primary key,
          event_id uuid not null unique,
          event_name text not null,
          event_version integer not null,
          envelope jsonb not null,
          created_at timestamptz not null default now(),
          sent_at timestamptz
        )`.execute(db);
      // Only unsent rows are indexed: the relay's query stays fast however many sent rows are kept.
      await sql`create index outbox_unsent on outbox (position) where sent_at is null`.execute(db);
      // One notification per inserting statement, delivered at commit (and dropped on rollback):
      // a multi-row INSERT of 100,000 events wakes the relay once. Any INSERT into the outbox
      // wakes it, whoever wrote it.
      await sql`
        create function outbox_notify() returns trigger language plpgsql as $$
        begin
          perform pg_notify(${sql.lit(outboxChannel)}, '');
          return null;
        end $$`.execute(db);
      await sql`create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify()`.execute(
        db,
      );
    },
  },
  {
    // What each consumer (group) has applied: the handler's writes and this row commit together,
    // so an event delivered twice has its effect once. `attempts` counts the handler calls it took.
    name: '0000_event_bus_inbox',
    up: async (db) => {
      await sql`
        create table inbox (
          consumer text not null,
          event_id uuid not null,
          attempts integer not null default 1,
          processed_at timestamptz not null default now(),
          primary key (consumer, event_id)
        )`.execute(db);
    },
  },
  {
    // Deliveries a consumer gave up on. `body` is the text exactly as received, so that even
    // garbage survives for inspection; `envelope` is filled when the body was at least JSON.
    name: '0000_event_bus_dead_letters',
    up: async (db) => {
      await sql`
        create table dead_letters (
          id bigint generated always as identity primary key,
          consumer text not null,
          queue text not null,
          event_id uuid,
          event_name text,
          event_version integer,
          body text not null,
          envelope jsonb,
          reason text not null,
          error text not null,
          stack text,
          attempts integer not null,
          failed_at timestamptz not null default now(),
          replayed_at timestamptz,
          discarded_at timestamptz
        )`.execute(db);
      await sql`create index dead_letters_open on dead_letters (consumer, id) where replayed_at is null and discarded_at is null`.execute(
        db,
      );
    },
  },
  {
    // A NOTIFY makes its transaction take a cluster-wide lock at commit and hold it until the
    // commit is on disk, so one NOTIFY per producer commit serialises those commits (no group
    // commit): measured with pgbench, 10 clients inserting one row each, 5,608 → 1,339 commits/s.
    // A producer that wakes the relay itself after committing (through the process's relay, which
    // coalesces wake-ups) says so for its transaction, and the trigger leaves the NOTIFY out.
    name: '0000_event_bus_outbox_wake_by_caller',
    up: async (db) => {
      await sql`
        create or replace function outbox_notify() returns trigger language plpgsql as $$
        begin
          if current_setting(${sql.lit(outboxWakeSetting)}, true) is distinct from 'caller' then
            perform pg_notify(${sql.lit(outboxChannel)}, '');
          end if;
          return null;
        end $$`.execute(db);
    },
  },
  {
    // Marking each sent row (an UPDATE of a row carrying its ~1 kB envelope, not HOT) was the
    // largest single cost of a backlog: ~75 µs of server time per event. The relay keeps a cursor
    // instead, in the order it sends: (transaction_id, position), transaction_id being the id of
    // the transaction that wrote the row. It reads only rows whose transaction ended before every
    // transaction still running (`pg_snapshot_xmin`), so a transaction that commits late — with
    // positions below rows already sent — is never skipped: its rows sort after the cursor.
    // Rows written before this migration get transaction_id 0 and keep their position order.
    name: '0000_event_bus_outbox_sent_by_cursor',
    up: async (db) => {
      await sql`alter table outbox add column transaction_id xid8 not null default '0'`.execute(db);
      await sql`alter table outbox alter column transaction_id set default pg_current_xact_id()`.execute(db);
      await sql`create index outbox_in_relay_order on outbox (transaction_id, position)`.execute(db);
      // One row: the last event the transport confirmed, and when.
      await sql`
        create table outbox_relay (
          singleton boolean primary key default true check (singleton),
          transaction_id xid8 not null,
          position bigint not null,
          sent_at timestamptz
        )`.execute(db);
      await sql`
        insert into outbox_relay (transaction_id, position, sent_at)
        select '0', coalesce((select min(position) - 1 from outbox where sent_at is null),
                             (select max(position) from outbox), 0),
               (select max(sent_at) from outbox)`.execute(db);
      await sql`drop index outbox_unsent`.execute(db);
      await sql`alter table outbox drop column sent_at`.execute(db);
    },
  },
];
