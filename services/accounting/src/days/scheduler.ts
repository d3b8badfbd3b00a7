import { sql, type Kysely } from 'kysely';
import type { BusinessCalendar } from '@ates/business-days';
import type { Logger } from '@ates/logger';
import type { AccountingDb } from '../db.js';
import { closeEndedDays } from './commands.js';

const lockKey = 'ates:accounting:day-close';

/**
 * A6 "at the end of each business day": at start-up and every `intervalMs` (30 s), closes every
 * day that has ended and is not closed yet, in order. A session advisory lock keeps two
 * instances from closing at the same time — to spare work, not for correctness: the payout keys
 * keep a close that runs twice from paying twice.
 */
export const startDayCloser = (options: {
  readonly db: Kysely<AccountingDb>;
  readonly calendar: BusinessCalendar;
  readonly logger: Logger;
  readonly intervalMs?: number;
}): { stop(): Promise<void> } => {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = async (): Promise<void> => {
    try {
      await options.db.connection().execute(async (connection) => {
        const { rows } = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_lock(hashtext(${lockKey})) as locked`.execute(connection);
        if (!rows[0]?.locked) return;
        try {
          for (const summary of await closeEndedDays(options.db, { calendar: options.calendar }))
            options.logger.info(
              { business_day: summary.business_day, payouts: summary.payouts, payout_count: summary.payout_count },
              'business day closed',
            );
        } finally {
          await sql`select pg_advisory_unlock(hashtext(${lockKey}))`.execute(connection);
        }
      });
    } catch (error) {
      options.logger.error(
        { alert: 'day_close_failed', err: error },
        'closing business days failed; retrying at the next tick',
      );
    }
  };

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => schedule(options.intervalMs ?? 30_000));
    }, delayMs);
  };
  schedule(0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
