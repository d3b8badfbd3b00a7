import type { BusinessDay } from '@ates/business-days';
import { formatDate } from '@ates/ui';
import { dollars } from '../money.js';

/** The email that tells an employee what they were paid (A6). Plain text: it must read well anywhere. */
export const payoutMail = (payout: {
  readonly amount: number;
  readonly day: BusinessDay;
}): { subject: string; body: string } => {
  const paid = dollars(payout.amount);
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
