import type { Generated } from 'kysely';
import type { AccountsTable } from '@ates/account-replica';

/** The tracker's own database, as Kysely sees it. */
export interface TrackerDb {
  accounts: AccountsTable;
  tasks: {
    id: Generated<number>;
    public_id: string;
    title: string;
    jira_id: string | null;
    description: string;
    status: 'open' | 'done';
    assignee_id: string;
    creator_id: string;
    created_at: Date;
    completed_at: Date | null;
  };
}
