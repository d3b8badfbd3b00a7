import { sql, type Kysely } from 'kysely';
import { createTransport } from 'nodemailer';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@ates/logger';
import type { AccountingDb } from '../db.js';
import { mailRetryDelayMs, mailStuckAfterMs } from './retry.js';
import { dueMails, mailBacklog, markFailed, markSent, type DueMail } from './store.js';

export interface MailSenderOptions {
  readonly db: Kysely<AccountingDb>;
  readonly smtpUrl: string;
  readonly from: string;
  readonly logger: Logger;
  readonly metrics?: Registry;
  /** How often the mail outbox is read. */
  readonly pollMs?: number;
  readonly stuckAfterMs?: number;
}

const lockKey = 'ates:accounting:mail-sender';
const batch = 20;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Sends the payout emails of the mail outbox (A6) over SMTP. One sender per service is active: it
 * holds a session advisory lock on one connection; the others stand by and try again every few
 * seconds. A mail that fails is tried again after 1, 3, 5, 10, 30 s and then every 5 minutes; a
 * mail unsent after 10 minutes logs `alert: 'mail_stuck'` (once per episode).
 *
 * At least once, not exactly once: a crash (or a lost connection) between the SMTP server's
 * "250 queued" and the `sent_at` commit sends it again on the next try. Each mail carries a
 * Message-ID derived from its payout key, so a resend is the same message to any mail system
 * that deduplicates by it; and a mail is marked right after its own send, so at most one mail
 * can be resent by one crash.
 */
export const startMailSender = (options: MailSenderOptions): { stop(): Promise<void> } => {
  const { db, logger } = options;
  const transport = createTransport(options.smtpUrl);
  const stop = new AbortController();
  const sent = options.metrics
    ? new Counter({
        name: 'ates_mails_sent_total',
        help: 'Payout emails accepted by the SMTP server.',
        registers: [options.metrics],
      })
    : undefined;
  const failed = options.metrics
    ? new Counter({
        name: 'ates_mail_failures_total',
        help: 'Failed tries to send a payout email.',
        registers: [options.metrics],
      })
    : undefined;
  let stuck = false;

  const sendOne = async (mail: DueMail): Promise<void> => {
    if (!mail.email) {
      await markFailed(db, mail.id, 'no email address known yet for this account', mailRetryDelayMs(mail.attempts + 1));
      return;
    }
    try {
      await transport.sendMail({
        from: options.from,
        to: mail.full_name ? { name: mail.full_name, address: mail.email } : mail.email,
        subject: mail.subject,
        text: mail.body,
        messageId: `<${mail.idempotency_key.replaceAll(':', '.')}@accounting.ates>`,
      });
    } catch (error) {
      failed?.inc();
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ mail_id: mail.id, attempts: mail.attempts + 1, err: message }, 'payout email not sent; will retry');
      await markFailed(db, mail.id, message, mailRetryDelayMs(mail.attempts + 1));
      return;
    }
    sent?.inc();
    await markSent(db, mail.id);
  };

  const checkStuck = async (): Promise<void> => {
    const { unsent, oldestAgeSeconds } = await mailBacklog(db);
    const now = unsent > 0 && oldestAgeSeconds * 1000 > (options.stuckAfterMs ?? mailStuckAfterMs);
    if (now && !stuck)
      logger.error(
        { alert: 'mail_stuck', unsent, oldest_age_seconds: Math.round(oldestAgeSeconds) },
        'payout emails are stuck',
      );
    if (!now && stuck) logger.info({ unsent }, 'payout emails flow again');
    stuck = now;
  };

  const active = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      const due = await dueMails(db, batch);
      for (const mail of due) if (!stop.signal.aborted) await sendOne(mail);
      await checkStuck();
      if (due.length < batch) await sleep(options.pollMs ?? 1_000, stop.signal);
    }
  };

  // One connection holds the lock for as long as this sender is the active one.
  const run = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      try {
        await db.connection().execute(async (connection) => {
          const { rows } = await sql<{
            locked: boolean;
          }>`select pg_try_advisory_lock(hashtext(${lockKey})) as locked`.execute(connection);
          if (!rows[0]?.locked) return;
          try {
            await active();
          } finally {
            await sql`select pg_advisory_unlock(hashtext(${lockKey}))`.execute(connection);
          }
        });
      } catch (error) {
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'mail sender interrupted; retrying',
        );
      }
      await sleep(5_000, stop.signal);
    }
  };

  const running = run();
  return {
    stop: async () => {
      stop.abort();
      await running;
      transport.close();
    },
  };
};
