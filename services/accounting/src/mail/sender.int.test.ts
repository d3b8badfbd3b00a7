import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createLogger } from '@ates/logger';
import { eventually, freePort } from '@ates/testing';
import { insertMails } from '../days/store.js';
import { freshAccountingDb, newId, type TestAccountingDb } from '../testing/fixtures.js';
import { startMailDev, type RunningMailDev } from '../testing/maildev.js';
import { payoutMail } from './payout-mail.js';
import { startMailSender } from './sender.js';

let t: TestAccountingDb;
let maildev: RunningMailDev;

const mailRow = (id: string) =>
  t.db.selectFrom('mails').selectAll().where('account_id', '=', id).executeTakeFirstOrThrow();
const addAccount = (id: string, email: string | null) =>
  sql`insert into accounts (public_id, email, full_name, role, active, version)
      values (${id}, ${email}, ${email ? 'Polly Popug' : null}, 'worker', true, 1)`.execute(t.db);
const queue = (id: string, amount: number) =>
  insertMails(t.db, [
    { idempotency_key: `payout:${id}:2026-03-02`, account_id: id, ...payoutMail({ amount, day: '2026-03-02' }) },
  ]);

beforeAll(async () => {
  [t, maildev] = await Promise.all([freshAccountingDb(), startMailDev()]);
});
afterAll(async () => {
  await maildev?.stop();
  await t?.close();
});

describe('the mail sender (A6)', () => {
  it('sends a payout email once to the address of the accounts copy, and records it sent', async () => {
    const id = newId();
    await addAccount(id, 'polly@uberpopug.example');
    await queue(id, 5800);
    const sender = startMailSender({
      db: t.db,
      smtpUrl: maildev.smtpUrl,
      from: 'accounting@ates.test',
      logger: createLogger('mail', 'silent'),
      pollMs: 20,
    });
    try {
      const row = await eventually('the mail marked sent', async () => {
        const m = await mailRow(id);
        return m.sent_at !== null && m;
      });
      expect(row.attempts).toBe(1);
      const emails = (await maildev.emails()).filter((e) =>
        e.to.some((to) => to.address === 'polly@uberpopug.example'),
      );
      expect(emails).toHaveLength(1);
      expect(emails[0]).toMatchObject({
        subject: 'aTES payout for 2 Mar 2026: $58',
        messageId: `payout.${id}.2026-03-02@accounting.ates`,
      });
      expect(emails[0]?.text).toContain('have been paid out: $58.');
    } finally {
      await sender.stop();
    }
  });

  it('waits for an address it does not know yet, and retries when the SMTP server does not answer', async () => {
    const [unknown, known] = [newId(), newId()];
    await queue(unknown, 1200);
    await addAccount(known, 'kea@uberpopug.example');
    await queue(known, 3400);
    const nowhere = `smtp://127.0.0.1:${await freePort()}`;
    const sender = startMailSender({
      db: t.db,
      smtpUrl: nowhere,
      from: 'accounting@ates.test',
      logger: createLogger('mail', 'silent'),
      pollMs: 20,
    });
    try {
      const failed = await eventually('a try of known recorded', async () => {
        const m = await mailRow(known);
        return m.attempts >= 1 && m;
      });
      expect(failed).toMatchObject({ sent_at: null });
      expect(failed.last_error).toMatch(/ECONNREFUSED|connect/i);
      const waiting = await eventually('a try of unknown recorded', async () => {
        const m = await mailRow(unknown);
        return m.attempts >= 1 && m;
      });
      expect(waiting).toMatchObject({ sent_at: null, last_error: 'no email address known yet for this account' });
    } finally {
      await sender.stop();
    }
  });
});
