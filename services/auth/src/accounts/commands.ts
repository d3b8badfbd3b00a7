import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { AppError, refuse, validationError, type FieldIssue } from '@ates/errors';
import { envelopesOf, type AnyEvent } from '@ates/schema-registry';
import type { AuthDatabase, AuthDb } from '../db.js';
import { normalizeEmail, type Account, type Actor } from './account.js';
import {
  decideActivation,
  decideCreation,
  decideDeactivation,
  decidePasswordReset,
  decideRoleChange,
  decideUpdate,
  newAccountIssues,
  type AccountChanges,
  type Decision,
  type NewAccountInput,
} from './decide.js';
import type { EndedSession } from '../oidc/adapter.js';
import { generatePassword, hashPassword, minimumPasswordLength } from './passwords.js';
import * as store from './store.js';

/** Saves events to the service's outbox inside the given transaction (the event bus does this). */
export type PublishEvents = (tx: Transaction<AuthDatabase>, events: readonly AnyEvent[]) => Promise<void>;

/** Ends every sign-in session and revokes every grant and token of an account, inside `tx`; returns the sessions ended. */
export type RevokeAccess = (tx: Transaction<AuthDatabase>, accountId: string) => Promise<readonly EndedSession[]>;

/** Who is calling, before their account is read: a signed-in account's public id, or the system. */
export type ActorRef = { readonly kind: 'account'; readonly id: string } | { readonly kind: 'system' };

export interface AccountCommandsDeps {
  readonly db: AuthDb;
  readonly publish: PublishEvents;
  readonly revokeAccess: RevokeAccess;
  /** Called after the transaction that ended the sessions committed (tells the dashboards); must not throw. */
  readonly sessionsEnded?: (sessions: readonly EndedSession[]) => Promise<void>;
  readonly now?: () => Date;
}

export type NewAccountWithPassword = NewAccountInput & { readonly password?: string };

export interface CreatedAccount {
  readonly account: Account;
  /** Set when no password was given: shown once to whoever created the account, never stored. */
  readonly generatedPassword?: string;
}

const maximumPasswordLength = 200;

export const passwordIssues = (password: string, field = 'password'): FieldIssue[] => {
  if (password.length < minimumPasswordLength)
    return [{ field, message: `must be at least ${minimumPasswordLength} characters` }];
  if (password.length > maximumPasswordLength)
    return [{ field, message: `must be at most ${maximumPasswordLength} characters` }];
  return [];
};

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string }).code === '23505';

/**
 * The accounts use cases: each one reads what its rule needs, lets the rule decide (decide.ts),
 * then saves the account and publishes its events in the same transaction, so either both
 * happen or neither does. Changes are serialised by one transaction-scoped advisory lock: they
 * are rare (admins at work), and it makes the "last active admin" rule hold under concurrency
 * without reasoning about which rows each change must lock.
 */
export const createAccountCommands = (deps: AccountCommandsDeps) => {
  const now = deps.now ?? (() => new Date());

  const inChange = <T>(
    actorRef: ActorRef,
    work: (tx: Transaction<AuthDatabase>, actor: Actor) => Promise<T>,
  ): Promise<T> =>
    deps.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext('ates:auth:accounts'))`.execute(tx);
      const actor: Actor =
        actorRef.kind === 'system' ? actorRef : { kind: 'account', account: await store.findAccount(tx, actorRef.id) };
      return work(tx, actor);
    });

  /** Publishes what a decision produced; throws the refusal. Returns the account as saved. */
  const apply = async (
    tx: Transaction<AuthDatabase>,
    decision: Decision,
    save: (account: Account) => Promise<void>,
  ): Promise<Account> => {
    if (decision instanceof AppError) throw decision;
    if (decision.events.length === 0) return decision.state;
    await save(decision.state);
    await deps.publish(tx, envelopesOf(decision.events, { producer: 'auth', now: decision.state.updated_at }));
    return decision.state;
  };

  const update = async (tx: Transaction<AuthDatabase>, account: Account): Promise<void> => {
    if (!(await store.updateAccount(tx, account)))
      throw new Error(`account ${account.public_id} changed under its lock`);
  };

  const load = async (tx: Transaction<AuthDatabase>, publicId: string): Promise<Account> => {
    const account = await store.findAccount(tx, publicId, { forUpdate: true });
    if (!account) throw refuse('account.not_found', `No account ${publicId}.`);
    return account;
  };

  const createAll = async (
    actorRef: ActorRef,
    inputs: readonly NewAccountWithPassword[],
  ): Promise<CreatedAccount[]> => {
    // Check the fields before spending scrypt hashes on them, and report every bad one at once.
    const prefix = (i: number) => (inputs.length > 1 ? `${i}.` : '');
    const issues = inputs.flatMap((input, i) =>
      [...newAccountIssues(input), ...(input.password === undefined ? [] : passwordIssues(input.password))].map(
        (issue) => ({ ...issue, field: `${prefix(i)}${issue.field}` }),
      ),
    );
    if (issues.length > 0) throw validationError(issues, { code: 'account.invalid' });
    // Hash outside the transaction: scrypt is slow on purpose, and locks should not wait for it.
    const prepared = await Promise.all(
      inputs.map(async (input) => {
        const generatedPassword = input.password === undefined ? generatePassword() : undefined;
        return {
          input,
          generatedPassword,
          passwordHash: await hashPassword(input.password ?? (generatedPassword as string)),
        };
      }),
    );
    try {
      return await inChange(actorRef, async (tx, actor) => {
        const created: CreatedAccount[] = [];
        for (const { input, generatedPassword, passwordHash } of prepared) {
          const email = normalizeEmail(input.email);
          const decision = decideCreation(
            { actor, emailTaken: await store.emailTaken(tx, email) },
            { publicId: randomUUID(), input },
            now(),
          );
          const account = await apply(tx, decision, (a) => store.insertAccount(tx, a, passwordHash));
          created.push(generatedPassword === undefined ? { account } : { account, generatedPassword });
        }
        return created;
      });
    } catch (error) {
      // The unique index is the last word on emails (a concurrent insert, or twice the same email in one batch).
      if (isUniqueViolation(error))
        throw refuse(
          'account.email_taken',
          `An account with one of the emails ${inputs.map((i) => normalizeEmail(i.email)).join(', ')} already exists.`,
        );
      throw error;
    }
  };

  return {
    get: async (publicId: string): Promise<Account> => {
      const account = await store.findAccount(deps.db, publicId);
      if (!account) throw refuse('account.not_found', `No account ${publicId}.`);
      return account;
    },

    list: (options: { q?: string; page: number; perPage: number }) => store.listAccounts(deps.db, options),

    /** Creates an account; without a password, one is generated and returned once. */
    create: async (actorRef: ActorRef, input: NewAccountWithPassword): Promise<CreatedAccount> => {
      const [created] = await createAll(actorRef, [input]);
      return created as CreatedAccount;
    },

    /**
     * Creates several accounts in one transaction: all of them with their events, or none
     * (demo seeding uses this).
     */
    createAll: (actorRef: ActorRef, inputs: readonly NewAccountWithPassword[]): Promise<CreatedAccount[]> =>
      createAll(actorRef, inputs),

    update: async (actorRef: ActorRef, publicId: string, changes: AccountChanges): Promise<Account> => {
      try {
        return await inChange(actorRef, async (tx, actor) => {
          const target = await load(tx, publicId);
          const email = changes.email === undefined ? undefined : normalizeEmail(changes.email);
          const emailTaken = email !== undefined && (await store.emailTaken(tx, email, publicId));
          return apply(tx, decideUpdate({ actor, target, emailTaken }, changes, now()), (a) => update(tx, a));
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw refuse(
            'account.email_taken',
            `An account with the email ${normalizeEmail(changes.email ?? '')} already exists.`,
          );
        throw error;
      }
    },

    changeRole: (actorRef: ActorRef, publicId: string, role: string): Promise<Account> =>
      inChange(actorRef, async (tx, actor) => {
        const target = await load(tx, publicId);
        const decision = decideRoleChange(
          { actor, target, activeAdminCount: await store.countActiveAdmins(tx) },
          { role },
          now(),
        );
        return apply(tx, decision, (a) => update(tx, a));
      }),

    /** Deactivates the account and, in the same transaction, ends its sessions and revokes its grants. */
    deactivate: async (actorRef: ActorRef, publicId: string): Promise<Account> => {
      let ended: readonly EndedSession[] = [];
      const account = await inChange(actorRef, async (tx, actor) => {
        const target = await load(tx, publicId);
        const decision = decideDeactivation(
          { actor, target, activeAdminCount: await store.countActiveAdmins(tx) },
          {},
          now(),
        );
        return apply(tx, decision, async (a) => {
          await update(tx, a);
          ended = await deps.revokeAccess(tx, a.public_id);
        });
      });
      if (ended.length > 0) await deps.sessionsEnded?.(ended);
      return account;
    },

    activate: (actorRef: ActorRef, publicId: string): Promise<Account> =>
      inChange(actorRef, async (tx, actor) => {
        const target = await load(tx, publicId);
        return apply(tx, decideActivation({ actor, target }, {}, now()), (a) => update(tx, a));
      }),

    /**
     * Sets a new password (an admin resetting a forgotten one) and ends the account's sessions.
     * The password is nobody else's business: no version change, no event.
     */
    setPassword: async (
      actorRef: ActorRef,
      publicId: string,
      password: string | undefined,
    ): Promise<{ account: Account; generatedPassword?: string }> => {
      if (password !== undefined) {
        const issues = passwordIssues(password);
        if (issues.length > 0) throw validationError(issues, { code: 'account.invalid' });
      }
      const generatedPassword = password === undefined ? generatePassword() : undefined;
      const passwordHash = await hashPassword(password ?? (generatedPassword as string));
      let ended: readonly EndedSession[] = [];
      const account = await inChange(actorRef, async (tx, actor) => {
        const target = await load(tx, publicId);
        const refused = decidePasswordReset({ actor });
        if (refused) throw refused;
        await store.setPasswordHash(tx, publicId, passwordHash);
        ended = await deps.revokeAccess(tx, publicId);
        return target;
      });
      if (ended.length > 0) await deps.sessionsEnded?.(ended);
      return generatedPassword === undefined ? { account } : { account, generatedPassword };
    },
  };
};

export type AccountCommands = ReturnType<typeof createAccountCommands>;
