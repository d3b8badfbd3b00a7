import type { Kysely } from 'kysely';
import { allowPartialAccounts } from '@ates/account-replica';

// Account events may arrive in any order: a row can exist before the event that names it.
export const up = (db: Kysely<unknown>): Promise<void> => allowPartialAccounts(db);
