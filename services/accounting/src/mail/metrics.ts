import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { AccountingDb } from '../db.js';
import { mailBacklog } from './store.js';

/**
 * The mail outbox on `/metrics`, read when scraped (whether or not this instance sends):
 * `ates_mail_unsent` and `ates_mail_oldest_unsent_age_seconds` (suggested alert: > 600).
 */
export const registerMailMetrics = (registry: Registry, db: Kysely<AccountingDb>): void => {
  const last = { unsent: 0, oldest: 0 };
  let pending: Promise<void> | undefined;
  // One query per scrape for both gauges; a database that does not answer keeps the last values.
  const read = (): Promise<void> =>
    (pending ??= mailBacklog(db)
      .then((b) => void Object.assign(last, { unsent: b.unsent, oldest: b.oldestAgeSeconds }))
      .catch(() => undefined)
      .finally(() => (pending = undefined)));
  new Gauge({
    name: 'ates_mail_unsent',
    help: 'Payout emails in the mail outbox not sent yet.',
    registers: [registry],
    async collect() {
      await read();
      this.set(last.unsent);
    },
  });
  new Gauge({
    name: 'ates_mail_oldest_unsent_age_seconds',
    help: 'Age of the oldest unsent payout email, in seconds (alert when above 600).',
    registers: [registry],
    async collect() {
      await read();
      this.set(last.oldest);
    },
  });
};
