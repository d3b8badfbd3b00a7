import type { BusinessDay } from '@ates/business-days';
import { formatDate, money } from '@ates/ui';

/** The email that tells an employee what they were paid (A6). Plain text: it must read well anywhere. */
export const payoutMail = (payout: {
  readonly amount: number;
  readonly day: BusinessDay;
}): { subject: string; body: string } => {
  const paid = money(payout.amount / 100);
  const day = formatDate(`${payout.day}T12:00:00Z`);
  return {
    subject: `aTES payout for ${day}: ${paid}`,
    body: [
      'Hello,',
      '',
      `your earnings for the business day ${day} have been paid out: ${paid}.`,
      'The audit log in the accounting dashboard shows every fee, reward and payout behind it.',
      '',
      'UberPopug Inc accounting',
    ].join('\n'),
  };
};
