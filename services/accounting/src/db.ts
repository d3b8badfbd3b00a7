import type { AccountsTable } from '@ates/account-replica';

/** The accounting service's own database, as Kysely sees it. */
export interface AccountingDb {
  accounts: AccountsTable;
  tasks: {
    public_id: string;
    title: string;
    jira_id: string | null;
    description: string;
    created_at: Date;
  };
}
