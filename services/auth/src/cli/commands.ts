import { sql } from 'kysely';
import { readConfig } from '@ates/config';
import { createDb, createPool, explainConnectionError } from '@ates/db';
import { configError, refuse } from '@ates/errors';
import { publishMany } from '@ates/event-bus';
import { createAccountCommands } from '../accounts/commands.js';
import { findCredentials } from '../accounts/store.js';
import { registerApplication } from '../applications/applications.js';
import { authEnv, maxSignedTokenLifetime } from '../config.js';
import type { AuthDb } from '../db.js';
import { revokeAccountAccess } from '../oidc/adapter.js';
import { defaultActivationDelaySeconds, rotateSigningKey } from '../oidc/signing-keys.js';

/**
 * `ates auth …`: what an operator does to the auth service's database directly — register an
 * application, rotate the signing keys, create the first admin of a new installation, reset a
 * password. Each command opens its own connection, does one transaction's worth of work (with
 * the same rules and events as the API) and closes. The running auth instances notice new keys
 * within 30 seconds; everything else they read from the database on each request.
 */
export interface CommandContext {
  /** The auth database; the CLI resolves it from DATABASE_URL or the running `npm start`. */
  readonly databaseUrl: string;
  readonly env: NodeJS.ProcessEnv;
  readonly print: (line: string) => void;
}

const withAuthDb = async <T>(databaseUrl: string, work: (db: AuthDb) => Promise<T>): Promise<T> => {
  const db = createDb(createPool(databaseUrl, { max: 2, applicationName: 'ates-auth-cli' })) as unknown as AuthDb;
  try {
    let migrated: boolean;
    try {
      const rows = await sql<{ ok: boolean }>`select to_regclass('signing_keys') is not null as ok`.execute(db);
      migrated = rows.rows[0]?.ok === true;
    } catch (error) {
      throw explainConnectionError(databaseUrl, error);
    }
    if (!migrated)
      throw configError(
        'The auth database is not set up yet: start the auth service once (npm start, or ates serve auth) and try again.',
      );
    return await work(db);
  } finally {
    await db.destroy();
  }
};

export const addApp = (
  ctx: CommandContext,
  options: {
    name: string;
    redirectUri: string[];
    postLogoutRedirectUri?: string[];
    public?: boolean;
    firstParty?: boolean;
  },
): Promise<void> =>
  withAuthDb(ctx.databaseUrl, async (db) => {
    const { application, clientSecret } = await registerApplication(db, {
      name: options.name,
      redirect_uris: options.redirectUri,
      post_logout_redirect_uris: options.postLogoutRedirectUri ?? [],
      public: options.public ?? false,
      first_party: options.firstParty ?? false,
    });
    ctx.print(`Registered ${application.name}.`);
    ctx.print(`  client_id      ${application.client_id}`);
    if (clientSecret) ctx.print(`  client_secret  ${clientSecret}   (shown once; only its hash is kept)`);
    else ctx.print('  public client: no secret, PKCE required');
    ctx.print(`  redirect URIs  ${application.redirect_uris.join(' ')}`);
  });

export const rotateKeys = (ctx: CommandContext, options: { activateIn?: number; now?: boolean }): Promise<void> =>
  withAuthDb(ctx.databaseUrl, async (db) => {
    const { AUTH_ACCESS_TOKEN_TTL } = readConfig({ AUTH_ACCESS_TOKEN_TTL: authEnv.AUTH_ACCESS_TOKEN_TTL }, ctx.env);
    const delay = options.now ? 0 : (options.activateIn ?? defaultActivationDelaySeconds);
    const rotation = await rotateSigningKey(db, {
      maxTokenLifetimeSeconds: maxSignedTokenLifetime({ AUTH_ACCESS_TOKEN_TTL }),
      activationDelaySeconds: delay,
    });
    ctx.print(`New signing key ${rotation.newKid}: published now, signs from ${rotation.activatesAt.toISOString()}.`);
    if (rotation.retiredKid)
      ctx.print(
        `Key ${rotation.retiredKid} stops signing then and stays published until ${rotation.retiredKeyPublishedUntil?.toISOString()}.`,
      );
    ctx.print('Running auth instances adopt the change within 30 seconds.');
  });

const accountsFor = (db: AuthDb) =>
  createAccountCommands({ db, publish: (tx, events) => publishMany(tx, events), revokeAccess: revokeAccountAccess });

export const createAccount = (
  ctx: CommandContext,
  options: { email: string; name: string; role: string; password?: string },
): Promise<void> =>
  withAuthDb(ctx.databaseUrl, async (db) => {
    const created = await accountsFor(db).create(
      { kind: 'system' },
      {
        email: options.email,
        full_name: options.name,
        role: options.role,
        ...(options.password ? { password: options.password } : {}),
      },
    );
    ctx.print(
      `Created ${created.account.role} ${created.account.full_name} <${created.account.email}> (${created.account.public_id}).`,
    );
    if (created.generatedPassword) ctx.print(`  password  ${created.generatedPassword}   (shown once)`);
  });

export const resetPassword = (ctx: CommandContext, options: { email: string; password?: string }): Promise<void> =>
  withAuthDb(ctx.databaseUrl, async (db) => {
    const found = await findCredentials(db, options.email);
    if (!found) throw refuse('account.not_found', `No account with the email ${options.email.trim().toLowerCase()}.`);
    const result = await accountsFor(db).setPassword({ kind: 'system' }, found.account.public_id, options.password);
    ctx.print(`New password set for ${result.account.email}; their sessions have ended.`);
    if (result.generatedPassword) ctx.print(`  password  ${result.generatedPassword}   (shown once)`);
  });
