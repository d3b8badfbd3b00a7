import { refuse, validationError, type AppError, type FieldIssue } from '@ates/errors';
import type { Decision as BusDecision } from '@ates/event-bus';
import type { Role } from '@ates/roles';
import {
  emailIssues,
  fullNameIssues,
  normalizeEmail,
  normalizeFullName,
  roleIssues,
  type Account,
  type AccountEvent,
  type Actor,
} from './account.js';

/**
 * The rules of accounts, as plain functions in the one shape (`Decide` of @ates/event-bus): what
 * they must know (the actor, the account, facts such as "is this email taken" — already loaded),
 * the command and the time in; the account as it must be saved and the bare events to publish
 * with it, or the refusal, out. No I/O here: `commands.ts` loads, decides, then saves and
 * publishes in one transaction.
 *
 * Every change of the fields other services copy raises `version` by one and publishes a
 * full-state CUD event with that version (Account.Created for a new account, Account.Updated
 * for every later change), so a copy that applies the newest full state it has seen is always
 * right. Deactivation also publishes Account.Deactivated and a role change Account.RoleChanged,
 * with the same version: the events other services act on.
 */
export type Decision = BusDecision<Account, AccountEvent>;

export interface NewAccountInput {
  readonly email: string;
  readonly full_name: string;
  readonly role: string;
}

export interface AccountChanges {
  readonly email?: string;
  readonly full_name?: string;
}

/** What every change of an existing account must know. */
export interface TargetState {
  readonly actor: Actor;
  readonly target: Account;
}

/** …and, for a role change or a deactivation, how many active admins there are (`target` included if it is one). */
export interface AdminGuardedState extends TargetState {
  readonly activeAdminCount: number;
}

const unchanged = (account: Account): Decision => ({ state: account, events: [] });

/** Only an active admin changes accounts; the system (command line, seeding) always may. */
const authorize = (actor: Actor): AppError | undefined => {
  if (actor.kind === 'system') return undefined;
  const { account } = actor;
  if (!account || !account.active) return refuse('account.actor_inactive');
  if (account.role !== 'admin')
    return refuse('account.actor_not_admin', `Only an admin can change accounts; your role is ${account.role}.`);
  return undefined;
};

const emailTaken = (email: string): AppError =>
  refuse('account.email_taken', `An account with the email ${email} already exists.`);
const lastAdmin = (target: Account): AppError =>
  refuse('account.last_admin', `${target.email} is the last active admin; make another account admin first.`);
const invalid = (issues: readonly FieldIssue[]): AppError => validationError(issues, { code: 'account.invalid' });

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
export const decideCreation = (
  state: { readonly actor: Actor; readonly emailTaken: boolean },
  command: { readonly publicId: string; readonly input: NewAccountInput },
  now: Date,
): Decision => {
  const refused = authorize(state.actor);
  if (refused) return refused;
  const { input } = command;
  const email = normalizeEmail(input.email);
  const issues = newAccountIssues(input);
  if (issues.length > 0) return invalid(issues);
  if (state.emailTaken) return emailTaken(email);
  const account: Account = {
    public_id: command.publicId,
    email,
    full_name: normalizeFullName(input.full_name),
    role: input.role as Role,
    active: true,
    version: 1,
    created_at: now,
    updated_at: now,
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
  return { state: account, events: [created] };
};

/** Changes the email and/or full name. `emailTaken`: whether *another* account has the new email. */
export const decideUpdate = (
  state: TargetState & { readonly emailTaken: boolean },
  changes: AccountChanges,
  now: Date,
): Decision => {
  const refused = authorize(state.actor);
  if (refused) return refused;
  const { target } = state;
  const email = changes.email === undefined ? target.email : normalizeEmail(changes.email);
  const fullName = changes.full_name === undefined ? target.full_name : normalizeFullName(changes.full_name);
  const issues = [
    ...(changes.email === undefined ? [] : emailIssues(email)),
    ...(changes.full_name === undefined ? [] : fullNameIssues(fullName)),
  ];
  if (issues.length > 0) return invalid(issues);
  if (email === target.email && fullName === target.full_name) return unchanged(target);
  if (email !== target.email && state.emailTaken) return emailTaken(email);
  const account = next(target, { email, full_name: fullName }, now);
  return { state: account, events: [fullState(account)] };
};

/**
 * Gives the target another role. Refuses an admin changing their own role and a change that
 * would leave the company without an active admin — nobody could then manage accounts.
 */
export const decideRoleChange = (state: AdminGuardedState, command: { readonly role: string }, now: Date): Decision => {
  const refused = authorize(state.actor);
  if (refused) return refused;
  const { target } = state;
  const issues = roleIssues(command.role);
  if (issues.length > 0) return invalid(issues);
  if (target.role === command.role) return unchanged(target);
  if (isSelf(state.actor, target)) return refuse('account.self_role_change');
  if (target.role === 'admin' && target.active && state.activeAdminCount <= 1) return lastAdmin(target);
  const account = next(target, { role: command.role as Role }, now);
  const roleChanged: AccountEvent = {
    name: 'Account.RoleChanged',
    version: 1,
    data: {
      public_id: account.public_id,
      old_role: target.role,
      new_role: account.role,
      version: account.version,
      changed_at: now.toISOString(),
    },
  };
  return { state: account, events: [fullState(account), roleChanged] };
};

/**
 * Deactivates the target: it keeps its history but cannot sign in and gets no new tasks. Refuses
 * an admin deactivating themselves and deactivating the last active admin.
 */
export const decideDeactivation = (state: AdminGuardedState, _command: Record<string, never>, now: Date): Decision => {
  const refused = authorize(state.actor);
  if (refused) return refused;
  const { target } = state;
  if (!target.active) return unchanged(target);
  if (isSelf(state.actor, target)) return refuse('account.self_deactivation');
  if (target.role === 'admin' && state.activeAdminCount <= 1) return lastAdmin(target);
  const account = next(target, { active: false }, now);
  const deactivated: AccountEvent = {
    name: 'Account.Deactivated',
    version: 1,
    data: { public_id: account.public_id, version: account.version, deactivated_at: now.toISOString() },
  };
  return { state: account, events: [fullState(account), deactivated] };
};

/** Lets a deactivated account sign in and get tasks again. */
export const decideActivation = (state: TargetState, _command: Record<string, never>, now: Date): Decision => {
  const refused = authorize(state.actor);
  if (refused) return refused;
  if (state.target.active) return unchanged(state.target);
  const account = next(state.target, { active: true }, now);
  return { state: account, events: [fullState(account)] };
};

/** An admin (or the system) may set a new password for anyone, themselves included. */
export const decidePasswordReset = (state: { readonly actor: Actor }): AppError | undefined => authorize(state.actor);
