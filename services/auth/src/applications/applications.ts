import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { refuse, validationError, type FieldIssue } from '@ates/errors';
import type { AuthDatabase } from '../db.js';

/**
 * OAuth applications (clients) that may sign people in through aTES — like Doorkeeper's
 * applications. A confidential application authenticates with a secret that is shown once at
 * registration; only its SHA-256 is kept (the secret is 256 random bits, so a slow password hash
 * would add nothing but latency to every token request). A public application (a native or
 * single-page app that cannot keep a secret) has none and must use PKCE.
 *
 * First-party applications are aTES's own dashboards: signing in to one of them never asks for
 * consent. Applications registered from configuration (`configured`) are rewritten at every
 * start from the environment and cannot be edited in the admin pages.
 */
export interface Application {
  readonly client_id: string;
  readonly name: string;
  readonly public: boolean;
  readonly redirect_uris: readonly string[];
  readonly post_logout_redirect_uris: readonly string[];
  /** Where the provider tells the application that a sign-in session ended (back-channel logout). */
  readonly backchannel_logout_uri: string | null;
  readonly first_party: boolean;
  readonly configured: boolean;
  readonly created_at: Date;
}

/** A row of `applications`, secret hash included. */
export interface StoredApplication extends Omit<Application, 'public'> {
  readonly secret_hash: string | null;
  readonly updated_at: Date;
}

type Db = Kysely<AuthDatabase>;

export const hashClientSecret = (secret: string): string =>
  `sha256$${createHash('sha256').update(secret, 'utf8').digest('base64url')}`;

export const clientSecretMatches = (given: string, stored: string): boolean => {
  const expected = Buffer.from(stored, 'utf8');
  const actual = Buffer.from(hashClientSecret(given), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

export const generateClientSecret = (): string => randomBytes(32).toString('base64url');

const toApplication = (row: StoredApplication): Application => {
  return {
    client_id: row.client_id,
    name: row.name,
    public: row.secret_hash === null,
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    backchannel_logout_uri: row.backchannel_logout_uri,
    first_party: row.first_party,
    configured: row.configured,
    created_at: row.created_at,
  };
};

/** Problems with one redirect URI; an absolute http(s) URL without a fragment. */
export const redirectUriIssues = (uri: string, field: string): FieldIssue[] => {
  if (!URL.canParse(uri))
    return [{ field, message: 'must be an absolute URL such as https://app.example.com/callback' }];
  const url = new URL(uri);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return [{ field, message: 'must use http or https' }];
  if (url.hash) return [{ field, message: 'must not contain a fragment (#…)' }];
  return [];
};

export interface NewApplication {
  readonly name: string;
  readonly redirect_uris: readonly string[];
  readonly post_logout_redirect_uris?: readonly string[];
  readonly public?: boolean;
  readonly first_party?: boolean;
}

const slug = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32) || 'app';

export const newApplicationIssues = (input: NewApplication): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const name = input.name.trim();
  if (name.length === 0) issues.push({ field: 'name', message: 'is required' });
  if (name.length > 100) issues.push({ field: 'name', message: 'must be at most 100 characters' });
  if (input.redirect_uris.length === 0) issues.push({ field: 'redirect_uris', message: 'needs at least one URL' });
  input.redirect_uris.forEach((u, i) => issues.push(...redirectUriIssues(u, `redirect_uris.${i}`)));
  (input.post_logout_redirect_uris ?? []).forEach((u, i) =>
    issues.push(...redirectUriIssues(u, `post_logout_redirect_uris.${i}`)),
  );
  return issues;
};

/** Registers an application; returns it with its secret (confidential ones), shown this once. */
export const registerApplication = async (
  db: Db,
  input: NewApplication,
): Promise<{ application: Application; clientSecret?: string }> => {
  const issues = newApplicationIssues(input);
  if (issues.length > 0) throw validationError(issues, { code: 'application.invalid' });
  const clientId = `${slug(input.name)}-${randomBytes(5).toString('hex')}`;
  const clientSecret = input.public ? undefined : generateClientSecret();
  const row = await db
    .insertInto('applications')
    .values({
      client_id: clientId,
      name: input.name.trim(),
      secret_hash: clientSecret === undefined ? null : hashClientSecret(clientSecret),
      redirect_uris: [...new Set(input.redirect_uris)],
      post_logout_redirect_uris: [...new Set(input.post_logout_redirect_uris ?? [])],
      backchannel_logout_uri: null,
      first_party: input.first_party ?? false,
      configured: false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const application = toApplication(row);
  return clientSecret === undefined ? { application } : { application, clientSecret };
};

export const listApplications = async (db: Db): Promise<Application[]> =>
  (await db.selectFrom('applications').selectAll().orderBy('configured', 'desc').orderBy('name').execute()).map(
    toApplication,
  );

export const findApplication = async (db: Db, clientId: string): Promise<StoredApplication | undefined> =>
  db.selectFrom('applications').selectAll().where('client_id', '=', clientId).executeTakeFirst();

/** Removes an application registered by an admin and ends everything issued to it. */
export const deleteApplication = async (db: Db, clientId: string): Promise<void> => {
  await db.transaction().execute(async (tx) => {
    const app = await tx
      .selectFrom('applications')
      .select(['configured'])
      .where('client_id', '=', clientId)
      .forUpdate()
      .executeTakeFirst();
    if (!app) throw refuse('application.not_found', `No application ${clientId}.`);
    if (app.configured)
      throw refuse(
        'application.configured',
        `${clientId} is one of the aTES dashboards, registered from configuration; it cannot be removed.`,
      );
    await tx.deleteFrom('applications').where('client_id', '=', clientId).execute();
    await sql`delete from oidc_payloads where payload->>'clientId' = ${clientId}`.execute(tx);
  });
};

/** A dashboard registered from configuration (see `configuredDashboards`). */
export interface ConfiguredDashboard {
  readonly clientId: string;
  readonly name: string;
  /** The dashboard's public base URL, e.g. http://localhost:4001. */
  readonly baseUrl: string;
}

/** The URIs a dashboard using `@ates/dashboard-session` serves. */
export const dashboardUris = (
  baseUrl: string,
): { redirect_uris: string[]; post_logout_redirect_uris: string[]; backchannel_logout_uri: string } => ({
  redirect_uris: [`${baseUrl}/callback`],
  post_logout_redirect_uris: [`${baseUrl}/`],
  backchannel_logout_uri: `${baseUrl}/backchannel-logout`,
});

/**
 * Writes the dashboards of the configuration as first-party confidential applications sharing
 * `secret`: inserted on first start, brought in line with the configuration on every later one.
 */
export const registerConfiguredDashboards = async (
  db: Db,
  dashboards: readonly ConfiguredDashboard[],
  secret: string,
): Promise<void> => {
  const secretHash = hashClientSecret(secret);
  await db.transaction().execute(async (tx) => {
    for (const d of dashboards) {
      const uris = dashboardUris(d.baseUrl);
      const values = {
        name: d.name,
        secret_hash: secretHash,
        redirect_uris: uris.redirect_uris,
        post_logout_redirect_uris: uris.post_logout_redirect_uris,
        backchannel_logout_uri: uris.backchannel_logout_uri,
        first_party: true,
        configured: true,
      };
      await tx
        .insertInto('applications')
        .values({ client_id: d.clientId, ...values })
        .onConflict((oc) => oc.column('client_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
        .execute();
    }
  });
};
