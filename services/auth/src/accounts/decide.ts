import type { AppError } from '@ates/errors';
import { conflict, forbidden, validationError, type FieldIssue } from '@ates/errors';
import {
  emailIssues,
  fullNameIssues,
  normalizeEmail,
  normalizeFullName,
  roleIssues,
  type Account,
  type AccountEvent,
  type Actor,
  type Role,
} from './account.js';

/**
 * The rules of accounts, as plain functions: each takes what it needs to know (the accounts
 * involved, already loaded; the time) and decides — the account as it must be saved and the
 * events to publish with it, or the AppError that explains the refusal. No I/O here: the caller
 * (`accounts-service.ts`) loads, decides, then saves and publishes in one transaction.
 *
 * Every change of the fields other services copy raises `version` by one and publishes a
 * full-state CUD event with that version (Account.Created for a new account, Account.Updated
 * for every later change), so a copy that applies the newest full state it has seen is always
 * right. Deactivation also publishes Account.Deactivated and a role change Account.RoleChanged,
 * with the same version: the events other services act on.
 */
export interface Change {
  readonly account: Account;
  /** Empty when nothing changed (the request asked for the state the account is already in). */
  readonly events: readonly AccountEvent[];
}

export type Decision = Change | AppError;

export interface NewAccountInput {
  readonly email: string;
  readonly full_name: string;
  readonly role: string;
}

export interface AccountChanges {
  readonly email?: string;
  readonly full_name?: string;
}

const unchanged = (account: Account): Change => ({ account, events: [] });

/** Only an active admin changes accounts; the system (command line, seeding) always may. */
const authorize = (actor: Actor): AppError | undefined => {
  if (actor.kind === 'system') return undefined;
  const { account } = actor;
  if (!account || !account.active) return forbidden('Your account is deactivated or no longer exists.');
  if (account.role !== 'admin') return forbidden(`Only an admin can change accounts; your role is ${account.role}.`);
  return undefined;
};

const isSelf = (actor: Actor, target: Account): boolean =>
  actor.kind === 'account' && actor.account?.public_id === target.public_id;

const fullState = (account: Account): AccountEvent => ({
  name: 'Account.Updated',
  version: 1,
  data: {
    public_id: account.public_id,
    email: account.email,
    full_name: account.full_name,
    role: account.role,
    active: account.active,
    version: account.version,
    updated_at: account.updated_at.toISOString(),
  },
});

const next = (
  account: Account,
  fields: Partial<Pick<Account, 'email' | 'full_name' | 'role' | 'active'>>,
  now: Date,
): Account => ({
  ...account,
  ...fields,
  version: account.version + 1,
  updated_at: now,
});

/** Problems with the fields of a new account, each named; empty when they are fine. */
export const newAccountIssues = (input: NewAccountInput): FieldIssue[] => [
  ...emailIssues(normalizeEmail(input.email)),
  ...fullNameIssues(normalizeFullName(input.full_name)),
  ...roleIssues(input.role),
];

/** Creates an account. `emailTaken`: whether another account already has this (normalised) email. */
export const decideCreation = (params: {
  readonly actor: Actor;
  readonly input: NewAccountInput;
  readonly emailTaken: boolean;
  readonly publicId: string;
  readonly now: Date;
}): Decision => {
  const refused = authorize(params.actor);
  if (refused) return refused;
  const email = normalizeEmail(params.input.email);
  const fullName = normalizeFullName(params.input.full_name);
  const issues = newAccountIssues(params.input);
  if (issues.length > 0) return validationError(issues);
  if (params.emailTaken) return conflict(`An account with the email ${email} already exists.`);
  const account: Account = {
    public_id: params.publicId,
    email,
    full_name: fullName,
    role: params.input.role as Role,
    active: true,
    version: 1,
    created_at: params.now,
    updated_at: params.now,
  };
  const created: AccountEvent = {
    name: 'Account.Created',
    version: 1,
    data: {
      public_id: account.public_id,
      email: account.email,
      full_name: account.full_name,
      role: account.role,
      active: account.active,
      version: account.version,
      created_at: account.created_at.toISOString(),
    },
  };
  return { account, events: [created] };
};

/** Changes the email and/or full name. `emailTaken`: whether *another* account has the new email. */
export const decideUpdate = (params: {
  readonly actor: Actor;
  readonly target: Account;
  readonly changes: AccountChanges;
  readonly emailTaken: boolean;
  readonly now: Date;
}): Decision => {
  const refused = authorize(params.actor);
  if (refused) return refused;
  const { target, changes } = params;
  const email = changes.email === undefined ? target.email : normalizeEmail(changes.email);
  const fullName = changes.full_name === undefined ? target.full_name : normalizeFullName(changes.full_name);
  const issues = [
    ...(changes.email === undefined ? [] : emailIssues(email)),
    ...(changes.full_name === undefined ? [] : fullNameIssues(fullName)),
  ];
  if (issues.length > 0) return validationError(issues);
  if (email === target.email && fullName === target.full_name) return unchanged(target);
  if (email !== target.email && params.emailTaken)
    return conflict(`An account with the email ${email} already exists.`);
  const account = next(target, { email, full_name: fullName }, params.now);
  return { account, events: [fullState(account)] };
};

/**
 * Gives `target` the role `newRole`. `activeAdminCount`: active admins right now, `target`
 * included if it is one. Refuses an admin demoting themselves and a change that would leave the
 * company without an active admin — nobody could then manage accounts.
 */
export const decideRoleChange = (params: {
  readonly actor: Actor;
  readonly target: Account;
  readonly newRole: string;
  readonly activeAdminCount: number;
  readonly now: Date;
}): Decision => {
  const refused = authorize(params.actor);
  if (refused) return refused;
  const { target, newRole } = params;
  const issues = roleIssues(newRole);
  if (issues.length > 0) return validationError(issues);
  if (target.role === newRole) return unchanged(target);
  if (isSelf(params.actor, target)) {
    return conflict(
      'You cannot change your own role: another admin has to do it, so that an admin never locks themselves out by mistake.',
    );
  }
  if (target.role === 'admin' && target.active && params.activeAdminCount <= 1) {
    return conflict(`${target.email} is the last active admin; make another account admin first.`);
  }
  const account = next(target, { role: newRole as Role }, params.now);
  const roleChanged: AccountEvent = {
    name: 'Account.RoleChanged',
    version: 1,
    data: {
      public_id: account.public_id,
      old_role: target.role,
      new_role: account.role,
      version: account.version,
      changed_at: params.now.toISOString(),
    },
  };
  return { account, events: [fullState(account), roleChanged] };
};

/**
 * Deactivates `target`: it keeps its history but cannot sign in and gets no new tasks. Refuses an
 * admin deactivating themselves and deactivating the last active admin.
 */
export const decideDeactivation = (params: {
  readonly actor: Actor;
  readonly target: Account;
  readonly activeAdminCount: number;
  readonly now: Date;
}): Decision => {
  const refused = authorize(params.actor);
  if (refused) return refused;
  const { target } = params;
  if (!target.active) return unchanged(target);
  if (isSelf(params.actor, target))
    return conflict('You cannot deactivate your own account: another admin has to do it.');
  if (target.role === 'admin' && params.activeAdminCount <= 1) {
    return conflict(`${target.email} is the last active admin; make another account admin first.`);
  }
  const account = next(target, { active: false }, params.now);
  const deactivated: AccountEvent = {
    name: 'Account.Deactivated',
    version: 1,
    data: { public_id: account.public_id, version: account.version, deactivated_at: params.now.toISOString() },
  };
  return { account, events: [fullState(account), deactivated] };
};

/** An admin (or the system) may set a new password for anyone, themselves included. */
export const decidePasswordReset = (params: { readonly actor: Actor }): AppError | undefined => authorize(params.actor);

/** Lets a deactivated account sign in and get tasks again. */
export const decideActivation = (params: {
  readonly actor: Actor;
  readonly target: Account;
  readonly now: Date;
}): Decision => {
  const refused = authorize(params.actor);
  if (refused) return refused;
  if (params.target.active) return unchanged(params.target);
  const account = next(params.target, { active: true }, params.now);
  return { account, events: [fullState(account)] };
};
