import type { Migration } from '@ates/db';
import { allowPartialAccounts, createAccountsTable } from './index.js';

/**
 * The `accounts` table as a service's migrations build it (its first shape, then
 * `allowPartialAccounts`), for this package's tests and benchmark.
 */
export const accountsTableMigrations: readonly Migration[] = [
  { name: '0001_accounts', up: createAccountsTable },
  { name: '0002_accounts_partial', up: allowPartialAccounts },
];
