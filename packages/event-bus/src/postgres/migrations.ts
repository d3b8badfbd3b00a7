import { sql } from 'kysely';
import type { Migration } from '@ates/db';

/**
 * The PostgreSQL transport's own database (`ates_bus` under `npm start`), modelled on
 * MassTransit's SQL transport: a message is stored once; each consumer group subscribed to its
 * event name gets a delivery row pointing at it. A delivery is claimed with
 * `FOR UPDATE SKIP LOCKED`; `visible_at` is both the redelivery time and the claim's lease.
 */
export const transportMigrations: readonly Migration[] = [
  {
    name: '0001_transport',
    up: async (db) => {
      await sql`
        create table messages (
          id bigint generated always as identity primary key,
          event_name text not null,
          body text not null,
          created_at timestamptz not null default now()
        )`.execute(db);
      // A group's bindings: the event names it receives (the queue's routing keys).
      await sql`
        create table subscriptions (
          "group" text not null,
          event_name text not null,
          primary key ("group", event_name)
        )`.execute(db);
      await sql`create index subscriptions_by_event on subscriptions (event_name)`.execute(db);
      // One row per (group, message) until the group acks it. `attempts` counts claims;
      // `visible_at` is when it may be claimed: now for a new one, later for a retry, and the end
      // of the lease while a consumer holds it (so a crashed consumer's delivery comes back).
      await sql`
        create table deliveries (
          id bigint generated always as identity primary key,
          "group" text not null,
          message_id bigint not null,
          visible_at timestamptz not null default now(),
          attempts integer not null default 0
        )`.execute(db);
      // The queue: a group's deliveries in publish order. visible_at is deliberately not indexed,
      // so that leases and retries are HOT updates.
      await sql`create index deliveries_queue on deliveries ("group", id)`.execute(db);
      await sql`create index deliveries_message on deliveries (message_id)`.execute(db);
    },
  },
];
