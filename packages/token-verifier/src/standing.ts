import { refuse } from '@ates/errors';
import { isRole, type Role } from '@ates/roles';
import type { Caller } from './caller.js';

/**
 * What a service knows, now, about an account: from its own copy of accounts, which the
 * `Account.*` events update within milliseconds of a change (or, in the auth service, from the
 * accounts table itself). An access token says what was true when it was issued, up to its
 * lifetime ago; the standing says what is true now.
 */
export interface AccountStanding {
  /** null while no event carrying the role has arrived. */
  readonly role: Role | null;
  readonly active: boolean;
  /** The account's version (as the auth service counts it) at which the role was last written. */
  readonly roleVersion: number;
  /** The version at which the active flag was last written. */
  readonly activeVersion: number;
}

/** Looks standings up; `undefined` when this service has never heard of the account. */
export interface AccountStandings {
  of(accountId: string): Promise<AccountStanding | undefined>;
}

/**
 * The caller as the service must treat them: refused (401) when the copy knows the account as
 * deactivated, with the copy's role when it is at least as new as the token. The token carries the
 * account's version when it was issued (`account_version`; 0 for tokens from before that claim),
 * so "newer" is decided by the auth service's own counter, not by clocks: a token issued after a
 * reactivation or a role change the copy has not applied yet keeps what it says.
 */
export const applyStanding = (caller: Caller, tokenVersion: number, standing: AccountStanding | undefined): Caller => {
  if (!standing) return caller;
  if (!standing.active && standing.activeVersion >= tokenVersion) throw refuse('auth.account_deactivated');
  if (
    standing.role !== null &&
    isRole(standing.role) &&
    standing.roleVersion >= tokenVersion &&
    standing.role !== caller.role
  )
    return { ...caller, role: standing.role };
  return caller;
};
