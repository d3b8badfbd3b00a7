import { sql, type Kysely, type RawBuilder } from 'kysely';
import { AppError } from '@ates/errors';
import { outboxWakeSetting } from './migrations.js';
import { registry as defaultRegistry, type AnyEvent, type SchemaRegistry } from '@ates/schema-registry';

/**
 * Anything that runs SQL: normally the caller's transaction (`db.transaction().execute(tx => …)`),
 * so that the event commits or rolls back with the change that caused it.
 */
// The outbox belongs to every service's database, whatever that service's own tables are.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Executor = Kysely<any>;

export interface PublishOptions {
  /** The registry to validate against; the shared one by default. */
  readonly registry?: SchemaRegistry;
  /**
   * Who wakes the relay: by default the outbox trigger NOTIFYs when the transaction commits.
   * `'caller'`: the caller calls the process's `wakeRelay()` (`ctx.bus.wakeRelay`) once the
   * statement's transaction has committed, and the trigger leaves the NOTIFY out for the rest of
   * the transaction — a NOTIFY serialises commits (see the migration `outbox_wake_by_caller`).
   * Forgetting to wake delays the events until the relay's next poll (1 s), never loses them.
   */
  readonly wake?: 'trigger' | 'caller';
}

export interface OutboxInsertOptions extends PublishOptions {
  /**
   * A condition (SQL) the events are written under, e.g. `exists (select 1 from saved)` after a
   * guarded data-modifying CTE: no change, no events. The statement then reports 0 rows.
   */
  readonly onlyIf?: RawBuilder<unknown>;
}

/** Up to this many events are written as VALUES rows; more travel as one JSON array parameter. */
const valuesRowsUpTo = 100;

const validated = (events: readonly unknown[], registry: SchemaRegistry): AnyEvent[] =>
  events.map((event, index) => {
    const result = registry.validate(event);
    if (result.ok) return result.event;
    const { event_name: name, event_version: version } = (event ?? {}) as {
      event_name?: unknown;
      event_version?: unknown;
    };
    const label = typeof name === 'string' ? ` ${name}${typeof version === 'number' ? ` v${version}` : ''}` : '';
    const where = events.length > 1 ? ` (event ${index + 1} of ${events.length})` : '';
    throw new AppError('event.invalid', `Cannot publish invalid event${label}${where}: ${result.reason}.`, {
      issues: result.issues,
    });
  });

/**
 * The statement that saves `events` to the outbox, in order, whatever their number: a few as
 * VALUES rows, many (a reassignment's 100,000) as a single JSON array parameter that PostgreSQL
 * unpacks. Every event is validated first; if one is invalid an `invalid_event` AppError is
 * thrown and nothing is built. Run it as is (`publishMany`), or after a data-modifying CTE so
 * that the change and its events are one statement — one round trip, atomic without BEGIN/COMMIT:
 *
 *   await sql`with saved as (insert into tasks …) ${outboxInsert(events)}`.execute(db);
 */
export const outboxInsert = (events: readonly AnyEvent[], options: OutboxInsertOptions = {}): RawBuilder<unknown> => {
  const checked = validated(events, options.registry ?? defaultRegistry);
  const conditions = [
    ...(options.onlyIf ? [options.onlyIf] : []),
    // Set while the rows are produced, i.e. before the statement's AFTER trigger runs.
    ...(options.wake === 'caller' ? [sql`set_config(${outboxWakeSetting}, 'caller', true) = 'caller'`] : []),
  ];
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  if (checked.length > 0 && checked.length <= valuesRowsUpTo) {
    // The common case, a command's few events: VALUES rows are cheaper for PostgreSQL to plan
    // than unpacking a JSON array (about half the server's CPU for one event). Identity values
    // are drawn in row order, so `position` keeps the given order.
    return sql`
      insert into outbox (event_id, event_name, event_version, envelope)
      select * from (values ${sql.join(checked.map((e) => sql`(${e.event_id}::uuid, ${e.event_name}, ${e.event_version}::integer, ${JSON.stringify(e)}::jsonb)`))}) as e ${where}`;
  }
  // `with ordinality … order by` keeps the array's order in the identity column (`position`).
  return sql`
    insert into outbox (event_id, event_name, event_version, envelope)
    select (e->>'event_id')::uuid, e->>'event_name', (e->>'event_version')::integer, e
    from jsonb_array_elements(${JSON.stringify(checked)}::jsonb) with ordinality as t(e, n) ${where}
    order by n`;
};

/**
 * Saves `events` to the outbox in `tx`, in order, with ONE statement (see `outboxInsert`). If one
 * is invalid an `invalid_event` AppError is thrown and nothing is written. The relay is woken
 * when the transaction commits (a statement trigger NOTIFYs).
 */
export const publishMany = async (
  tx: Executor,
  events: readonly AnyEvent[],
  options: PublishOptions = {},
): Promise<void> => {
  if (events.length === 0) return;
  await outboxInsert(events, options).execute(tx);
};

/** Saves one event to the outbox in `tx`; see `publishMany`. */
export const publish = (tx: Executor, event: AnyEvent, options: PublishOptions = {}): Promise<void> =>
  publishMany(tx, [event], options);
