import { businessDayEnv, calendarOf } from '@ates/business-days';
import { httpUrl, text, type ConfigOf, type Variable } from '@ates/config';
import { dashboardSessionEnv } from '@ates/dashboard-session';
import type { DashboardLinks } from '@ates/ui';

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
  TRACKER_URL: httpUrl(
    'Public base URL of the tracker dashboard, linked from the navigation.',
    'http://localhost:4001',
  ),
  ANALYTICS_URL: httpUrl(
    'Public base URL of the analytics dashboard, linked from the navigation.',
    'http://localhost:4003',
  ),
  SMTP_URL: smtpUrl,
  MAIL_FROM: text('Sender of the payout emails.', 'aTES Accounting <accounting@uberpopug.example>'),
};

export type AccountingConfig = ConfigOf<typeof accountingEnv>;

export { calendarOf };

/** Each dashboard's home, for the navigation; the admin pages live under the auth service's /admin. */
export const dashboardLinks = (
  config: Pick<AccountingConfig, 'PUBLIC_URL' | 'TRACKER_URL' | 'ANALYTICS_URL' | 'AUTH_ISSUER'>,
): DashboardLinks => ({
  tracker: `${config.TRACKER_URL}/`,
  accounting: `${config.PUBLIC_URL}/`,
  analytics: `${config.ANALYTICS_URL}/`,
  admin: `${config.AUTH_ISSUER}/admin/`,
});
