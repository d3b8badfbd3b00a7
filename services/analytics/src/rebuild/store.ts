import { sql, type Kysely } from 'kysely';
import type { AnalyticsDb } from '../db.js';

/** The consumer groups that feed analytics' model, and the tables they fill (accounts are a replica, kept). */
export const modelGroups = ['analytics.ledger', 'analytics.tasks'] as const;
const modelTables = ['day_figures', 'day_closes', 'balances', 'tasks'] as const;

/**
 * Empties analytics' model and forgets which events its groups applied, in one transaction, so
 * that the retained events sent again are applied afresh. Events applied after it commits (the
 * service may be running) are in the inbox again and count once: a replay drops them.
 */
export const emptyModel = (db: Kysely<AnalyticsDb>): Promise<void> =>
  db.transaction().execute(async (tx) => {
    await sql`truncate ${sql.join(modelTables.map((t) => sql.table(t)))}`.execute(tx);
    await sql`delete from inbox where consumer = any(${[...modelGroups]}::text[])`.execute(tx);
  });
