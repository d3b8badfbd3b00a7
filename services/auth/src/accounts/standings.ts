import type { AccountStanding, AccountStandings } from '@ates/token-verifier';
import type { AuthDb } from '../db.js';
import { findAccount } from './store.js';

/** An account that does not exist stands for nobody: whatever a token says, it is refused. */
const gone: AccountStanding = {
  role: null,
  active: false,
  roleVersion: Number.MAX_SAFE_INTEGER,
  activeVersion: Number.MAX_SAFE_INTEGER,
};

/**
 * The standing of accounts in the auth service itself: its accounts table, read on every request
 * (one primary-key lookup, nothing kept in memory). Admin actions are few, and the table is the
 * source of truth, so the answer is the truth at this very moment — in every instance, whichever
 * changed the account. A demoted admin's token gets the new role, a deactivated account's token
 * is refused (docs/security.md).
 */
export const authAccountStandings = (db: AuthDb): AccountStandings => ({
  of: async (accountId) => {
    const account = await findAccount(db, accountId);
    if (!account) return gone;
    return { role: account.role, active: account.active, roleVersion: account.version, activeVersion: account.version };
  },
});
