import type { Migration } from '@ates/db';
import * as accounts from './0001_accounts.js';
import * as accountsPartial from './0002_accounts_partial.js';
import * as model from './0003_model.js';

/** Every migration of this service, in order. A released migration never changes. */
export const migrations: readonly Migration[] = [
  { name: '0001_accounts', up: accounts.up },
  { name: '0002_accounts_partial', up: accountsPartial.up },
  { name: '0003_model', up: model.up },
];
