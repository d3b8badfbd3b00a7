import type { Migration } from '@ates/db';
import * as accounts from './0001_accounts.js';
import * as tasks from './0002_tasks.js';
import * as accountsPartial from './0003_accounts_partial.js';

/** Every migration of this service, in order. A released migration never changes. */
export const migrations: readonly Migration[] = [
  { name: '0001_accounts', up: accounts.up },
  { name: '0002_tasks', up: tasks.up },
  { name: '0003_accounts_partial', up: accountsPartial.up },
];
