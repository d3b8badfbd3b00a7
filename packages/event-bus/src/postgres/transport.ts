import pg from 'pg';
import { createDb, explainConnectionError, migrate, survivesLostConnections } from '@ates/db';
import { isAppError } from '@ates/errors';
import type { Logger } from '@ates/logger';
import { Batcher, Wakeup, errorMessage } from '../internal/async.js';
import type { Delivery, OnDelivery, OutgoingMessage, SubscribeOptions, Subscription, Transport } from '../transport.js';
import { transportMigrations } from './migrations.js';

export interface PostgresTransportOptions {
  /** The transport's own database, e.g. postgres://…/ates_bus. */
  readonly url: string;
  readonly logger?: Logger;
  /** Shown in pg_stat_activity. */
  readonly applicationName?: string;
  /** Connections for publishing, claiming and acking (plus one for LISTEN). Default 4. */
  readonly poolSize?: number;
  /**
   * How long a claimed delivery stays invisible to other consumers. It is renewed every third
   * of that while the handler runs, so it only bounds how soon a crashed consumer's delivery
   * comes back. Default 30 s.
   */
  readonly leaseMs?: number;
  /** Claim attempts without a NOTIFY (lease expiries, other processes' retries). Default 1 s. */
  readonly pollIntervalMs?: number;
  /**
   * After a wake-up on an idle queue, wait this long before claiming, so that one claim (and one
   * consumer transaction) takes the deliveries published meanwhile. Default 10 ms.
   */
  readonly lingerMs?: number;
  /** How often acked messages are deleted. Default 5 s. */
  readonly sweepIntervalMs?: number;
}

const channel = 'ates_bus';

interface ClaimedRow {
  readonly id: number;
  readonly attempts: number;
  readonly event_name: string;
  readonly body: string;
}

/**
 * Publishes a batch as ONE statement: the messages are inserted in order (only those some group
 * is bound to), a delivery row is added for every bound group in message order, and every group
 * that got something is notified — all at commit, or not at all.
 */
const publishSql = `
  with m as (
    insert into messages (event_name, body)
    select t.n, t.b from unnest($1::text[], $2::text[]) with ordinality as t(n, b, o)
    where exists (select 1 from subscriptions s where s.event_name = t.n)
    order by t.o
    returning id, event_name
  ), d as (
    insert into deliveries ("group", message_id)
    select s."group", m.id from m join subscriptions s on s.event_name = m.event_name
    order by m.id, s."group"
    returning "group"
  )
  select pg_notify('${channel}', g) from (select distinct "group" as g from d) as groups`;

const sendToGroupSql = `
  with m as (
    insert into messages (event_name, body)
    select t.n, t.b from unnest($1::text[], $2::text[]) with ordinality as t(n, b, o)
    order by t.o
    returning id
  ), d as (
    insert into deliveries ("group", message_id) select $3, m.id from m order by m.id
    returning 1
  )
  select pg_notify('${channel}', $3) where exists (select 1 from d)`;

/**
 * Acks the deliveries $4 (deletes them) and claims up to $2 visible deliveries of group $1,
 * oldest first, leasing them for $3 ms: one round trip for both, since a consumer claims again
 * as soon as it has finished something. With $2 = 0 it only acks.
 */
const claimSql = `
  with acked as (delete from deliveries where id = any($4::bigint[]))
  update deliveries d
  set visible_at = now() + $3 * interval '1 millisecond', attempts = d.attempts + 1
  from (
    select id from deliveries
    where "group" = $1 and visible_at <= now() and id <> all($4::bigint[])
    order by id
    limit $2
    for update skip locked
  ) as c, messages m
  where d.id = c.id and m.id = d.message_id
  returning d.id, d.attempts, m.event_name, m.body`;

/**
 * Acked messages are deleted below the oldest message still referenced by a delivery. One
 * statement, one snapshot: a message whose deliveries are not visible yet is not visible either.
 */
const sweepSql = `delete from messages where id < coalesce((select min(message_id) from deliveries), 9223372036854775807)`;

/**
 * Two pools. Publishing (and binding) commits synchronously: a publish that resolved is on disk.
 * Claims, lease renewals, retries, acks and sweeps commit with `synchronous_commit = off`: if
 * the server crashes before such a commit reaches the disk, the delivery is simply handed out
 * again — at-least-once delivery and the consumers' inbox already cover that — and in exchange
 * they do not wait for a disk flush each.
 */
const transportPool = (options: PostgresTransportOptions, role: string, max: number, durable: boolean): pg.Pool => {
  const pool = new pg.Pool({
    connectionString: options.url,
    max,
    application_name: `${options.applicationName ?? 'ates-bus'}-${role}`,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A broker behind a dead network must fail a call, not hang it: the relay retries.
    keepAlive: true,
    query_timeout: 30_000,
    // Custom plans: the claim's `id <> all($4)` (the acks riding on it) is then planned with the
    // array as a constant, which PostgreSQL checks with a hash instead of a scan per row — with a
    // thousand acks, a generic plan's filter is most of the statement.
    options: `-c plan_cache_mode=force_custom_plan${durable ? '' : ' -c synchronous_commit=off'}`,
  });
  pool.on('error', () => undefined);
  survivesLostConnections(pool);
  return pool;
};

/**
 * The embedded transport: queues as tables in a PostgreSQL database of their own. See
 * docs/event-bus.md for the design and how it compares with pg-boss.
 */
export class PostgresTransport implements Transport {
  readonly name = 'postgres';
  private readonly subscriptions = new Map<string, Set<GroupSubscription>>();
  private listener: pg.Client | undefined;
  private listening: Promise<void> | undefined;
  private closed = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly lingerMs: number;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly housekeeping: pg.Pool,
    private readonly options: PostgresTransportOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.lingerMs = options.lingerMs ?? 10;
  }

  /** Connects, applies the transport's migrations (serialised by an advisory lock) and starts sweeping. */
  static async connect(options: PostgresTransportOptions): Promise<PostgresTransport> {
    const pool = transportPool(options, 'publish', 2, true);
    const housekeeping = transportPool(options, 'claim', options.poolSize ?? 4, false);
    const db = createDb(pool);
    try {
      await migrate(db, transportMigrations, 'event-transport');
    } catch (error) {
      await db.destroy();
      await housekeeping.end();
      throw isAppError(error) ? error : explainConnectionError(options.url, error);
    }
    const transport = new PostgresTransport(pool, housekeeping, options);
    transport.sweepTimer = setInterval(() => void transport.sweep(), options.sweepIntervalMs ?? 5_000);
    transport.sweepTimer.unref();
    return transport;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.pool.query({
      name: 'ates_bus_publish',
      text: publishSql,
      values: [messages.map((m) => m.eventName), messages.map((m) => m.body)],
    });
  }

  async sendToGroup(group: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.pool.query(sendToGroupSql, [messages.map((m) => m.eventName), messages.map((m) => m.body), group]);
  }

  async subscribe(
    group: string,
    eventNames: readonly string[],
    onDelivery: OnDelivery,
    options: SubscribeOptions,
  ): Promise<Subscription> {
    await this.declare(group, eventNames);
    await this.listen();
    const subscription = new GroupSubscription(
      this,
      group,
      onDelivery,
      Math.max(1, options.prefetch),
      this.options.logger,
    );
    const set = this.subscriptions.get(group) ?? new Set();
    set.add(subscription);
    this.subscriptions.set(group, set);
    subscription.start(() => set.delete(subscription));
    return subscription;
  }

  async check(): Promise<void> {
    try {
      await this.pool.query('select 1');
    } catch (error) {
      throw explainConnectionError(this.options.url, error);
    }
  }

  async lag(group: string): Promise<number> {
    const result = await this.pool.query<{ n: number }>(
      'select count(*)::integer as n from deliveries where "group" = $1',
      [group],
    );
    return result.rows[0]?.n ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweepTimer);
    await Promise.all([...this.subscriptions.values()].flatMap((set) => [...set].map((s) => s.close())));
    await this.listener?.end().catch(() => undefined);
    await Promise.all([this.pool.end(), this.housekeeping.end()]);
  }

  /** Adds the group's bindings; rows that exist stay, so a process running older code loses nothing. */
  async declare(group: string, eventNames: readonly string[]): Promise<void> {
    await this.pool.query(
      'insert into subscriptions ("group", event_name) select $1, unnest($2::text[]) on conflict do nothing',
      [group, eventNames],
    );
  }

  async unbind(group: string, eventNames: readonly string[]): Promise<void> {
    await this.pool.query('delete from subscriptions where "group" = $1 and event_name = any($2::text[])', [
      group,
      eventNames,
    ]);
  }

  // The SQL below is used by GroupSubscription; kept here so all of the transport's SQL is in one file.
  // Named statements: each connection parses and plans them once.
  claim(group: string, limit: number, acks: readonly number[] = []): Promise<ClaimedRow[]> {
    return this.housekeeping
      .query<ClaimedRow>({ name: 'ates_bus_claim', text: claimSql, values: [group, limit, this.leaseMs, acks] })
      .then((r) => r.rows.sort((a, b) => a.id - b.id));
  }

  ack(ids: readonly number[]): Promise<void> {
    return this.claim('', 0, ids).then(() => undefined);
  }

  delay(id: number, delayMs: number): Promise<void> {
    return this.housekeeping
      .query(`update deliveries set visible_at = now() + $2 * interval '1 millisecond' where id = $1`, [
        id,
        Math.max(0, delayMs),
      ])
      .then(() => undefined);
  }

  renew(ids: readonly number[]): Promise<void> {
    return this.housekeeping
      .query(`update deliveries set visible_at = now() + $2 * interval '1 millisecond' where id = any($1::bigint[])`, [
        ids,
        this.leaseMs,
      ])
      .then(() => undefined);
  }

  private async sweep(): Promise<void> {
    if (this.subscriptions.size === 0) return; // producers only: leave it to the consumers' processes
    const client = await this.housekeeping.connect().catch(() => undefined);
    if (!client) return;
    try {
      await client.query('begin');
      const lock = await client.query<{ ok: boolean }>(
        `select pg_try_advisory_xact_lock(hashtext('ates:bus:sweep')) as ok`,
      );
      if (lock.rows[0]?.ok) await client.query(sweepSql);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      this.options.logger?.warn({ err: error }, 'event transport: sweeping acked messages failed');
    } finally {
      client.release();
    }
  }

  /** One LISTEN connection per transport, reconnected after a failure; every wake-up goes through it. */
  private listen(): Promise<void> {
    return (this.listening ??= this.connectListener());
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: `${this.options.applicationName ?? 'ates-bus'}-listen`,
    });
    const lost = (): void => {
      if (this.listener !== client) return;
      this.listener = undefined;
      if (this.closed) return;
      this.options.logger?.warn('event transport: LISTEN connection lost; polling until it is back');
      setTimeout(() => void this.reconnectListener(), 1_000).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      for (const subscription of this.subscriptions.get(message.payload ?? '') ?? []) subscription.wake();
    });
    this.listener = client;
    await client.connect();
    await client.query(`listen ${channel}`);
  }

  private async reconnectListener(): Promise<void> {
    if (this.closed || this.listener) return;
    try {
      await this.connectListener();
      this.options.logger?.info('event transport: LISTEN connection back');
      // Whatever was notified while it was down is waiting: look now.
      for (const set of this.subscriptions.values()) for (const s of set) s.wake();
    } catch {
      // `lost` schedules the next try.
    }
  }
}

interface PendingAck {
  readonly id: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * One process's share of a group's queue: claims up to `prefetch` deliveries and hands them out.
 * Acks wait for the loop's next statement, which claims more at the same time; after `close()`
 * they go out on their own.
 */
class GroupSubscription implements Subscription {
  private readonly wakeup = new Wakeup();
  private readonly inFlight = new Set<number>();
  private pendingAcks: PendingAck[] = [];
  private readonly lateAcks: Batcher<number>;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private renewTimer: NodeJS.Timeout | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly handling = new Set<Promise<void>>();

  constructor(
    private readonly transport: PostgresTransport,
    private readonly group: string,
    private readonly onDelivery: OnDelivery,
    private readonly prefetch: number,
    private readonly logger: Logger | undefined,
  ) {
    this.lateAcks = new Batcher((ids) => this.transport.ack(ids));
  }

  start(onClosed: () => void): void {
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(100, Math.floor(this.transport.leaseMs / 3)));
    this.renewTimer.unref();
    this.loop = this.run().finally(onClosed);
  }

  wake(): void {
    this.wakeup.notify();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wakeup.notify();
    await this.loop;
    this.flushAcksAlone();
    await Promise.all(this.handling);
    clearInterval(this.renewTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      // Claim when idle, or when at least half the window is free: one round trip fetches many.
      const free = this.prefetch - this.inFlight.size;
      const limit = free === 0 || (this.inFlight.size > 0 && free < Math.ceil(this.prefetch / 2)) ? 0 : free;
      if (limit === 0 && this.pendingAcks.length === 0) {
        await this.wakeup.wait(this.transport.pollIntervalMs);
        continue;
      }
      const acks = this.pendingAcks;
      this.pendingAcks = [];
      let rows: ClaimedRow[];
      try {
        rows = await this.transport.claim(
          this.group,
          limit,
          acks.map((a) => a.id),
        );
        for (const ack of acks) ack.resolve();
        if (failures > 0) this.logger?.info({ group: this.group }, 'event transport: claiming works again');
        failures = 0;
      } catch (error) {
        for (const ack of acks) ack.reject(error);
        failures += 1;
        if (failures === 1)
          this.logger?.warn({ group: this.group, err: error }, 'event transport: cannot claim deliveries; retrying');
        await this.wakeup.wait(Math.min(5_000, 250 * 2 ** failures));
        continue;
      }
      for (const row of rows) this.dispatch(row);
      if (limit > 0 && rows.length < limit) {
        // The queue is drained: wait for a NOTIFY or an ack (one that came meanwhile counts),
        // then give the publisher a moment, so that the next claim takes several deliveries at once.
        await this.wakeup.wait(this.transport.pollIntervalMs);
        if (this.transport.lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, this.transport.lingerMs));
      }
    }
  }

  /** Resolves once the ack is written: with the loop's next claim, or alone once closing. */
  private ack(id: number): Promise<void> {
    if (this.stopped) return this.lateAcks.add(id);
    return new Promise((resolve, reject) => {
      this.pendingAcks.push({ id, resolve, reject });
      this.wakeup.notify();
    });
  }

  private flushAcksAlone(): void {
    const acks = this.pendingAcks;
    this.pendingAcks = [];
    for (const ack of acks) this.lateAcks.add(ack.id).then(ack.resolve, ack.reject);
  }

  private dispatch(row: ClaimedRow): void {
    this.inFlight.add(row.id);
    let done = false;
    const finish = (): void => {
      done = true;
      this.inFlight.delete(row.id);
    };
    const delivery: Delivery = {
      id: `${this.group}#${row.id}`,
      queue: this.group,
      eventName: row.event_name,
      body: row.body,
      attempt: row.attempts,
      ack: async () => {
        if (done) return;
        finish();
        await this.ack(row.id);
      },
      retryLater: async (delayMs) => {
        if (done) return;
        finish();
        await this.transport.delay(row.id, delayMs);
        this.wakeup.notify(); // its slot is free
        // Come back for it ourselves when it is due, rather than at the next poll.
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          this.wakeup.notify();
        }, delayMs);
        timer.unref();
        this.retryTimers.add(timer);
      },
    };
    const handled = this.onDelivery(delivery)
      .catch((error: unknown) => {
        // The handler could not settle it (its own database is down, say): it comes back when
        // the lease ends, to this process or another one.
        this.logger?.warn(
          { group: this.group, delivery: delivery.id, err: errorMessage(error) },
          'event transport: delivery not settled; it will be redelivered',
        );
      })
      .finally(() => {
        const settled = done;
        finish();
        this.handling.delete(handled);
        // An ack or a retry already woke the loop; a delivery left unsettled frees its slot here.
        if (!settled) this.wakeup.notify();
      });
    this.handling.add(handled);
  }

  private async renewLeases(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await this.transport.renew([...this.inFlight]).catch(() => undefined);
  }
}

/** Connects the PostgreSQL transport (see `PostgresTransportOptions`). */
export const connectPostgresTransport = (options: PostgresTransportOptions): Promise<Transport> =>
  PostgresTransport.connect(options);
