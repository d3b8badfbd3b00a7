import { businessDayEnv, calendarOf } from '@ates/business-days';
import { text, type ConfigOf, type Variable } from '@ates/config';
import { otherDashboardUrls } from '@ates/dashboard-pages';
import { dashboardSessionEnv } from '@ates/dashboard-session';

const smtpUrl: Variable<string> = {
  description:
    'Where payout emails are sent (A6), e.g. `smtp://127.0.0.1:1025` (`npm start` points it at its MailDev); empty keeps them in the mail outbox, unsent.',
  default: '',
  expected: 'empty, or an smtp:// or smtps:// URL',
  parse: (raw) => {
    if (raw === '') return raw;
    const url = new URL(raw);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('invalid');
    return raw;
  },
};

/**
 * Accounting's variables: the dashboard session's (with the token verifier's AUTH_ISSUER and
 * AUTH_INTERNAL_URL), the business-day calendar it shares with analytics, where the other
 * dashboards live, and where payout emails go.
 */
export const accountingEnv = {
  ...dashboardSessionEnv('http://localhost:4002'),
  ...businessDayEnv,
  ...otherDashboardUrls('accounting'),
  SMTP_URL: smtpUrl,
  MAIL_FROM: text('Sender of the payout emails.', 'aTES Accounting <accounting@uberpopug.example>'),
};

export type AccountingConfig = ConfigOf<typeof accountingEnv>;

export { calendarOf };
