import pg from 'pg';
import type { Logger } from '@ates/logger';
import { Wakeup, backoffDelay, errorMessage } from './internal/async.js';
import type { BusMetrics } from './metrics.js';
import { outboxChannel } from './migrations.js';
import { confirmedBefore, type Transport } from './transport.js';

export interface RelayOptions {
  /** The service's own database (where its outbox is). The relay keeps one connection of its own. */
  readonly databaseUrl: string;
  readonly transport: Transport;
  readonly logger: Logger;
  /** Names the advisory lock: one relay per value (the service name) is active at a time. */
  readonly lockKey: string;
  readonly metrics?: BusMetrics;
  /** Rows read and published per round. Default 2,000 (a backlog drains in fewer, cheaper rounds). */
  readonly batchSize?: number;
  /** Look for unsent rows this often even without a NOTIFY. Default 1 s. */
  readonly pollIntervalMs?: number;
  /**
   * After a wake-up, wait this long before reading, so that events committed in the meantime go
   * in the same batch (one transport round trip instead of many). Default 10 ms.
   */
  readonly lingerMs?: number;
  /** How often a standby relay tries to take over. Default 2 s. */
  readonly standbyIntervalMs?: number;
  /** Pauses after consecutive transport failures; the last one repeats. Default 1, 3, 5, 10, 30 s. */
  readonly retryDelaysMs?: readonly number[];
  /** Alert (`logger.error`, `alert: 'outbox_stuck'`) once the oldest unsent event is this old. Default 60 s. */
  readonly stuckAfterMs?: number;
  /** Sent rows are kept this long after they were written, for replays, then deleted. Default 7 days. */
  readonly retentionMs?: number;
  /** How often expired rows are deleted. Default 1 min. */
  readonly cleanupIntervalMs?: number;
}

export const defaultRelayRetryDelaysMs: readonly number[] = [1_000, 3_000, 5_000, 10_000, 30_000];
const day = 86_400_000;
const markWithinMs = 50;

/**
 * Moves the cursor to ($1, $2) when $3 (what the transport confirmed since the last move) and
 * reads up to $4 rows after it, in the order they are sent — only rows whose transaction ended
 * before every transaction still running, so that nothing a running one writes can land behind
 * the cursor (see the migration). One more row, `held`, says that a committed row waits behind a
 * running transaction (the cursor's transaction is always below the snapshot's xmin, so every
 * such row is after it).
 */
const relayNextSql = `
  with moved as (
    update outbox_relay set transaction_id = $1::xid8, position = $2::bigint, sent_at = now() where $3::boolean)
  select transaction_id::text, position, event_name, body, created_at, held from (
    (select transaction_id, position, event_name, envelope::text as body, created_at, false as held from outbox
     where (transaction_id, position) > ($1::xid8, $2::bigint)
       and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     order by transaction_id, position limit $4)
    union all
    (select transaction_id, position, null, null, created_at, true from outbox
     where transaction_id >= pg_snapshot_xmin(pg_current_snapshot()) limit 1)) as next
  order by held, next.transaction_id, position`;

const moveCursorSql = `update outbox_relay set transaction_id = $1::xid8, position = $2::bigint, sent_at = now()`;

interface OutboxRow {
  readonly transaction_id: string;
  readonly position: number;
  readonly event_name: string;
  readonly body: string;
  readonly created_at: Date;
  readonly held: boolean;
}

/** The last row the transport confirmed, in relay order. */
interface Cursor {
  readonly transactionId: string;
  readonly position: number;
}

const cursorOf = (row: OutboxRow): Cursor => ({ transactionId: row.transaction_id, position: row.position });

export interface RelayState {
  /** This process holds the relay lock and is sending. */
  readonly active: boolean;
  /** Consecutive transport failures (0 when the last send worked). */
  readonly failures: number;
  readonly lastSentAt: Date | null;
}

/**
 * Sends a service's outbox to the transport, in the order the rows were written.
 *
 * - Exactly one relay per service is active: it holds a session advisory lock on its own
 *   connection; the other processes of the service stand by and take over if that connection
 *   (or process) dies. Everything the relay reads and writes goes through that connection.
 * - It wakes on the outbox trigger's NOTIFY and polls as a fallback.
 * - It keeps a cursor, the last row the transport confirmed, in the `outbox_relay` row; sent rows
 *   are never updated. The cursor moves only after the transport confirmed a batch. A crash in
 *   between means the batch is sent again: delivery is at-least-once, and consumers apply an
 *   event once.
 * - Rows are sent in the order of the transaction that wrote them, then of their position. A
 *   committed row waits while a transaction that started writing before it is still running
 *   (it is `held`; a few milliseconds in practice — a long transaction in the same PostgreSQL
 *   cluster delays every outbox on it for as long as it runs).
 * - On transport failure the same batch is retried after 1, 3, 5, 10, 30 s (then every 30 s),
 *   so nothing overtakes it: each producer's order survives an outage.
 */
export class OutboxRelay {
  private readonly wakeup = new Wakeup();
  private readonly stopping = new AbortController();
  private client: pg.Client | undefined;
  private locked = false;
  private failures = 0;
  private stuckSince: number | undefined;
  private lastSentAt: Date | null = null;
  private lastCleanup = 0;
  /** Where the stored cursor is; read when the lock is taken. */
  private stored: Cursor | undefined;
  /** What the transport confirmed last; ahead of `stored` until the next read moves it. */
  private confirmed: Cursor | undefined;
  private loop: Promise<void> | undefined;
  /** Consecutive reads that found committed rows held and nothing to send. */
  private heldRounds = 0;
  private notifying = false;
  private notifyAgain = false;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly lingerMs: number;
  private readonly standbyIntervalMs: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly stuckAfterMs: number;
  private readonly retentionMs: number;
  private readonly cleanupIntervalMs: number;

  constructor(private readonly options: RelayOptions) {
    this.batchSize = options.batchSize ?? 2_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.lingerMs = options.lingerMs ?? 10;
    this.standbyIntervalMs = options.standbyIntervalMs ?? 2_000;
    this.retryDelaysMs = options.retryDelaysMs ?? defaultRelayRetryDelaysMs;
    this.stuckAfterMs = options.stuckAfterMs ?? 60_000;
    this.retentionMs = options.retentionMs ?? 7 * day;
    this.cleanupIntervalMs = options.cleanupIntervalMs ?? 60_000;
  }

  start(): this {
    this.loop ??= this.run();
    return this;
  }

  /**
   * Events were committed to the outbox without the trigger's NOTIFY (`wake: 'caller'`): the
   * active relay in this process just wakes; a standby sends one NOTIFY for the active relay
   * elsewhere, and wake-ups that come while one is on its way ride on the next one — at most one
   * NOTIFY in flight per process, however many commits call this.
   */
  wake(): void {
    if (this.locked) {
      this.wakeup.notify();
      return;
    }
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    const client = this.client;
    if (!client) return; // reconnecting: the next active relay reads every unsent row anyway
    this.notifying = true;
    void client
      .query(`notify ${outboxChannel}`)
      .catch(() => undefined) // the connection's error handler deals with it; the poll covers it
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain) {
          this.notifyAgain = false;
          this.wake();
        }
      });
  }

  state(): RelayState {
    return { active: this.locked, failures: this.failures, lastSentAt: this.lastSentAt };
  }

  /** Finishes the batch in hand (or abandons a retry pause), releases the lock, closes the connection. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeup.notify();
    await this.loop;
    await this.storeConfirmed().catch(() => undefined); // else they are sent again by the next relay
    await this.disconnect();
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!(await this.acquire())) {
          await this.pause(this.standbyIntervalMs);
          continue;
        }
        await this.cleanupIfDue();
        const sent = await this.relayBatch();
        if (sent === 'idle' || sent === 'drained') {
          await this.waitForMore();
          if (this.lingerMs > 0) await this.pause(this.lingerMs);
        } else if (sent === 'held') {
          await this.pause(this.heldPause());
        } else if (sent === 'failed') {
          await this.pause(backoffDelay(this.failures, this.retryDelaysMs));
        }
      } catch (error) {
        // The service's database is unreachable: the lock went with the connection. Reconnect
        // after a pause; whichever relay gets the lock first carries on from the unsent rows.
        this.options.logger.warn(
          { err: errorMessage(error) },
          'outbox relay: database connection failed; reconnecting',
        );
        await this.disconnect();
        await this.pause(this.standbyIntervalMs);
      }
    }
  }

  /** Connects if needed and tries the lock; true when this relay is the active one. */
  private async acquire(): Promise<boolean> {
    if (this.locked) return true;
    if (!this.client) {
      // Moving the cursor need not wait for the disk: if a crash loses the move, the rows are
      // sent again, which at-least-once delivery allows and the consumers' inbox absorbs.
      const client = new pg.Client({
        connectionString: this.options.databaseUrl,
        application_name: `ates-${this.options.lockKey}-relay`,
        options: '-c synchronous_commit=off',
      });
      client.on('error', () => {
        // Reported by the next query; the lock is gone with the session.
        if (this.client === client) {
          this.client = undefined;
          this.locked = false;
        }
      });
      client.on('notification', () => this.wakeup.notify());
      await client.connect();
      this.client = client;
      await client.query(`listen ${outboxChannel}`);
    }
    const result = await this.client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [
      `ates:relay:${this.options.lockKey}`,
    ]);
    this.locked = result.rows[0]?.locked === true;
    if (!this.locked) return false;
    const stored = await this.client.query<{ transaction_id: string; position: number }>(
      'select transaction_id::text, position from outbox_relay',
    );
    const row = stored.rows[0];
    if (!row) throw new Error('the outbox_relay row is missing: the event bus migrations did not run');
    this.stored = { transactionId: row.transaction_id, position: Number(row.position) };
    this.confirmed = undefined;
    this.options.logger.info('outbox relay: active');
    return true;
  }

  /**
   * 'drained': a partial batch was sent, so nothing else is waiting (until the next NOTIFY).
   * 'held': committed rows wait behind a running transaction; look again in a moment.
   *
   * Moving the cursor rides on the next read (one round trip instead of two). Until then the
   * confirmed cursor is held in memory; a crash in between sends those rows again, which
   * at-least-once delivery allows.
   */
  private async relayBatch(): Promise<'idle' | 'sent' | 'drained' | 'held' | 'failed'> {
    const client = this.connection();
    const from = this.confirmed ?? this.storedCursor();
    const { rows: read } = await client.query<OutboxRow>({
      name: 'ates_relay_next',
      text: relayNextSql,
      values: [from.transactionId, from.position, this.confirmed !== undefined, this.batchSize],
    });
    if (this.confirmed) [this.stored, this.confirmed] = [this.confirmed, undefined];
    const firstHeld = read.findIndex((r) => r.held);
    const rows = firstHeld < 0 ? read : read.slice(0, firstHeld); // the held row is always last
    this.heldRounds = rows.length === 0 && firstHeld >= 0 ? this.heldRounds + 1 : 0;
    if (rows.length === 0) {
      if (firstHeld < 0) this.resolveStuck();
      return firstHeld < 0 ? 'idle' : 'held';
    }
    try {
      await this.options.transport.publish(rows.map((r) => ({ eventName: r.event_name, body: r.body })));
    } catch (error) {
      // What the transport did confirm moves the cursor with the next read; the retry starts at
      // the first unconfirmed row, and no later row is counted as sent before it.
      const confirmed = rows[confirmedBefore(error) - 1];
      if (confirmed) this.confirmed = cursorOf(confirmed);
      this.failures += 1;
      this.reportFailure(error, rows[confirmedBefore(error)] ?? (rows[0] as OutboxRow));
      return 'failed';
    }
    this.confirmed = cursorOf(rows[rows.length - 1] as OutboxRow);
    if (this.failures > 0)
      this.options.logger.info({ failures: this.failures }, 'outbox relay: transport is back; sending again');
    this.failures = 0;
    this.resolveStuck();
    this.lastSentAt = new Date();
    this.options.metrics?.published.inc(rows.length);
    if (firstHeld >= 0) return 'held';
    return rows.length < this.batchSize ? 'drained' : 'sent';
  }

  /**
   * How long to wait before looking again at rows held behind a running transaction: the linger
   * at first (transactions here last milliseconds), doubling while the same wait goes on (a
   * transaction left open in psql), up to the poll interval.
   */
  private heldPause(): number {
    const first = Math.max(this.lingerMs, 1);
    return Math.min(this.pollIntervalMs, first * 2 ** Math.min(Math.max(this.heldRounds - 1, 0), 16));
  }

  private storedCursor(): Cursor {
    if (!this.stored) throw new Error('the relay has not read its cursor');
    return this.stored;
  }

  /**
   * Waits for a NOTIFY or the poll interval. The next read moves the cursor over what was just
   * sent; if no NOTIFY comes soon, it is moved at once, so that `outbox status` and the metrics
   * do not count those rows as waiting.
   */
  private async waitForMore(): Promise<void> {
    if (this.confirmed) {
      if (await this.wakeup.wait(markWithinMs)) return;
      await this.storeConfirmed();
    }
    await this.wakeup.wait(this.pollIntervalMs);
  }

  /** Stores the confirmed cursor when no read is about to carry it (idle, stopping). */
  private async storeConfirmed(): Promise<void> {
    const confirmed = this.confirmed;
    if (!confirmed || !this.client || !this.locked) return;
    await this.client.query(moveCursorSql, [confirmed.transactionId, confirmed.position]);
    [this.stored, this.confirmed] = [confirmed, undefined];
  }

  private reportFailure(error: unknown, oldest: OutboxRow): void {
    const ageMs = Date.now() - oldest.created_at.getTime();
    const retryInMs = backoffDelay(this.failures, this.retryDelaysMs);
    const details = {
      failures: this.failures,
      retry_in_ms: retryInMs,
      oldest_unsent_age_s: Math.round(ageMs / 1000),
      err: errorMessage(error),
    };
    if (ageMs >= this.stuckAfterMs && this.stuckSince === undefined) {
      this.stuckSince = Date.now();
      this.options.logger.error(
        { alert: 'outbox_stuck', ...details },
        `outbox relay: events have waited over ${Math.round(this.stuckAfterMs / 1000)} s for the transport`,
      );
    } else if (this.failures === 1) {
      this.options.logger.warn(details, 'outbox relay: transport refused a batch; retrying');
    }
  }

  private resolveStuck(): void {
    if (this.stuckSince === undefined) return;
    this.options.logger.info(
      { alert: 'outbox_stuck', resolved: true, stuck_for_s: Math.round((Date.now() - this.stuckSince) / 1000) },
      'outbox relay: no longer stuck',
    );
    this.stuckSince = undefined;
  }

  /** Deletes sent rows written longer ago than the retention, a few thousand per statement. */
  private async cleanupIfDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < this.cleanupIntervalMs) return;
    this.lastCleanup = Date.now();
    const client = this.connection();
    let deleted = 0;
    for (let round = 0; round < 100 && !this.stopped; round += 1) {
      const result = await client.query(
        `delete from outbox where position in (
           select o.position from outbox o, outbox_relay r
           where o.created_at < now() - $1 * interval '1 millisecond'
             and (o.transaction_id, o.position) <= (r.transaction_id, r.position)
           order by o.position limit 5000)`,
        [this.retentionMs],
      );
      deleted += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < 5000) break;
    }
    if (deleted > 0) this.options.logger.info({ deleted }, 'outbox relay: deleted sent events past their retention');
  }

  private connection(): pg.Client {
    if (!this.client || !this.locked) throw new Error('the relay lost its database connection');
    return this.client;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.locked = false;
    // Ending the session releases the advisory lock: a standby relay takes over.
    await client?.end().catch(() => undefined);
  }

  /** Sleeps, but not past stop(). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        this.stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stopping.signal.addEventListener('abort', done);
    });
  }
}
