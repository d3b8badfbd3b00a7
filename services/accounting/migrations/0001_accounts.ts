import { createAccountsTable } from '@ates/account-replica';

// This service's copy of the auth service's accounts, fed only by Account.* events (U2); the
// table is @ates/account-replica's, created by its migration.
export const up = createAccountsTable;
