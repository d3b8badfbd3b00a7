import { sql, type Kysely } from 'kysely';
import { businessDayEnv, calendarOf } from '@ates/business-days';
import { readConfig } from '@ates/config';
import { createDb, createPool, explainConnectionError } from '@ates/db';
import { configError } from '@ates/errors';
import { connectTransport, replayOutbox, type ConsumerDefinition } from '@ates/event-bus';
import type { AnalyticsDb } from '../db.js';
import { analyticsLedger } from '../ledger/consumer.js';
import { emptyModel } from '../rebuild/store.js';
import { analyticsTasks } from '../tasks/consumer.js';

/**
 * `ates analytics …`: what an operator does to the analytics database directly. Each command
 * opens its own connections, does its work and closes.
 */
export interface CommandContext {
  /** The analytics database; the CLI resolves it from DATABASE_URL or the running `npm start`. */
  readonly databaseUrl: string;
  /** The event transport the running analytics service consumes from. */
  readonly transportUrl: string;
  /** The databases whose outboxes hold the retained events analytics is fed by: accounting's and the tracker's. */
  readonly sources: ReadonlyArray<{ readonly service: string; readonly databaseUrl: string }>;
  readonly env: NodeJS.ProcessEnv;
  readonly print: (line: string) => void;
}

/** The consumer groups that feed analytics' model (the accounts replica is not part of it). */
export const modelConsumers = (env: NodeJS.ProcessEnv): ReadonlyArray<ConsumerDefinition<AnalyticsDb>> => [
  analyticsLedger,
  analyticsTasks(calendarOf(readConfig(businessDayEnv, env))),
];

const migrated = async (db: Kysely<AnalyticsDb>, url: string): Promise<boolean> => {
  try {
    const { rows } = await sql<{ ok: boolean }>`select to_regclass('day_figures') is not null as ok`.execute(db);
    return rows[0]?.ok === true;
  } catch (error) {
    throw explainConnectionError(url, error);
  }
};

/**
 * `ates analytics rebuild`: empties analytics' model (N1–N3) and sends every retained event of
 * accounting and the tracker again, in their original order, to the groups that feed it; the
 * running analytics service applies them as it applies fresh ones, and the same figures come
 * back. Safe while everything runs: an event that arrives meanwhile counts once. What comes back
 * is what the outboxes retain (sent events are kept 7 days by default).
 */
export const rebuild = async (ctx: CommandContext): Promise<void> => {
  const db = createDb<AnalyticsDb>(createPool(ctx.databaseUrl, { max: 2, applicationName: 'ates-analytics-cli' }));
  try {
    if (!(await migrated(db, ctx.databaseUrl)))
      throw configError(
        'The analytics database is not set up yet: start the analytics service once (npm start, or ates serve analytics) and try again.',
      );
    const groups = modelConsumers(ctx.env);
    await emptyModel(db);
    ctx.print(`Emptied the analytics model (${groups.map((g) => g.name).join(', ')}).`);
    const transport = await connectTransport(ctx.transportUrl, { applicationName: 'ates-analytics-cli' });
    try {
      for (const source of ctx.sources) {
        const sourceDb = createDb<unknown>(
          createPool(source.databaseUrl, { max: 1, applicationName: 'ates-analytics-cli' }),
        );
        try {
          for (const group of groups) {
            const sent = await replayOutbox(sourceDb, transport, {
              group: group.name,
              eventNames: Object.keys(group.handlers),
            }).catch((error: unknown) => {
              throw explainConnectionError(source.databaseUrl, error);
            });
            ctx.print(`Sent ${sent} retained ${source.service} event${sent === 1 ? '' : 's'} to ${group.name}.`);
          }
        } finally {
          await sourceDb.destroy();
        }
      }
    } finally {
      await transport.close();
    }
    ctx.print('The analytics service applies them as it runs; its figures are back once its queues are empty.');
  } finally {
    await db.destroy();
  }
};
