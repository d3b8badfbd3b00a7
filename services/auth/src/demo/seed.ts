import { rm, writeFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Logger } from '@ates/logger';
import type { Role } from '@ates/roles';
import type { AccountCommands } from '../accounts/commands.js';
import { generatePassword } from '../accounts/passwords.js';
import { countAccounts } from '../accounts/store.js';
import type { AuthDb } from '../db.js';

/** The demo company: one admin, one manager, one accountant and five popugs who do the work. */
export const demoPeople: ReadonlyArray<{ readonly full_name: string; readonly email: string; readonly role: Role }> = [
  { full_name: 'Ara Macaw', email: 'ara.macaw@uberpopug.example', role: 'admin' },
  { full_name: 'Kea Nestor', email: 'kea.nestor@uberpopug.example', role: 'manager' },
  { full_name: 'Galah Rosea', email: 'galah.rosea@uberpopug.example', role: 'accountant' },
  { full_name: 'Polly Popug', email: 'polly.popug@uberpopug.example', role: 'worker' },
  { full_name: 'Kiwi Budgie', email: 'kiwi.budgie@uberpopug.example', role: 'worker' },
  { full_name: 'Lori Lorikeet', email: 'lori.lorikeet@uberpopug.example', role: 'worker' },
  { full_name: 'Tiko Cockatiel', email: 'tiko.cockatiel@uberpopug.example', role: 'worker' },
  { full_name: 'Jaco Grey', email: 'jaco.grey@uberpopug.example', role: 'worker' },
];

export interface DemoCredential {
  readonly full_name: string;
  readonly email: string;
  readonly role: Role;
  readonly password: string;
}

/**
 * On the first start of an empty system, creates the demo accounts with random passwords — all
 * in one transaction, with their Account.Created events — and writes who they are, passwords
 * included, to `file` (mode 600) for `npm start` to print once. Several instances starting at
 * once are serialised by an advisory lock; only the first finds the system empty. Returns the
 * credentials, or undefined when there were accounts already.
 */
export const seedDemoAccounts = async (params: {
  db: AuthDb;
  accounts: AccountCommands;
  logger: Logger;
  file: string | undefined;
}): Promise<DemoCredential[] | undefined> =>
  params.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext('ates:auth:demo-seed'))`.execute(conn);
    try {
      if ((await countAccounts(conn)) > 0) return undefined;
      const credentials = demoPeople.map((p) => ({ ...p, password: generatePassword() }));
      // The file first: if it cannot be written nobody would learn the passwords, so create nothing.
      if (params.file) await writeFile(params.file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
      try {
        await params.accounts.createAll({ kind: 'system' }, credentials);
      } catch (error) {
        if (params.file) await rm(params.file, { force: true });
        throw error;
      }
      params.logger.info(
        { accounts: credentials.map((c) => ({ email: c.email, role: c.role })), file: params.file },
        'demo accounts created',
      );
      return credentials;
    } finally {
      await sql`select pg_advisory_unlock(hashtext('ates:auth:demo-seed'))`.execute(conn);
    }
  });
