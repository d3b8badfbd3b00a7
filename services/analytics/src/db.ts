import type { AccountsTable } from '@ates/account-replica';

/** The analytics service's own database, as Kysely sees it. */
export interface AnalyticsDb {
  accounts: AccountsTable;
}
