import { sql, type Kysely } from 'kysely';
import { isSafeText } from '@ates/http';
import type { AuthDatabase } from '../db.js';
import type { AdapterPayload, OidcAdapter } from './oidc-provider-types.js';

/**
 * oidc-provider's storage, in PostgreSQL: every model (Session, Grant, AuthorizationCode,
 * RefreshToken, AccessToken when opaque, Interaction, ReplayDetection, …) is a row of
 * `oidc_payloads` keyed by (model, id). The columns next to the payload copy the fields the
 * provider looks rows up by (grantId, uid, userCode) and the account, so that one account's
 * sessions and grants can be ended together.
 *
 * Expired rows are invisible to `find` at once and deleted by `purgeExpired` later; a consumed
 * row (an authorization code or a rotated refresh token that was used) stays until it expires,
 * so that its reuse can be detected and the grant revoked.
 *
 * Clients are not stored here: the `Client` model reads the `applications` table (see
 * applications/clients.ts), which `clientAdapter` is given.
 */
type Db = Kysely<AuthDatabase>;

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

const withConsumed = (payload: Record<string, unknown>, consumedAt: Date | null): AdapterPayload =>
  (consumedAt ? { ...payload, consumed: Math.floor(consumedAt.getTime() / 1000) } : payload) as AdapterPayload;

export class PgAdapter implements OidcAdapter {
  constructor(
    private readonly model: string,
    private readonly db: Db,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt =
      typeof expiresIn === 'number' && expiresIn > 0 ? sql<Date>`now() + make_interval(secs => ${expiresIn})` : null;
    const row = {
      model: this.model,
      id,
      payload: JSON.stringify(payload),
      grant_id: text(payload.grantId),
      uid: text(payload.uid),
      user_code: text(payload.userCode),
      account_id: text(payload.accountId),
      expires_at: expiresAt,
    };
    await this.db
      .insertInto('oidc_payloads')
      .values({ ...row, consumed_at: null })
      .onConflict((oc) =>
        oc.columns(['model', 'id']).doUpdateSet({
          payload: row.payload,
          grant_id: row.grant_id,
          uid: row.uid,
          user_code: row.user_code,
          account_id: row.account_id,
          expires_at: row.expires_at,
        }),
      )
      .execute();
  }

  private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    // Ids come from requests as typed; one PostgreSQL cannot hold is no id of anything.
    if (!isSafeText(value)) return undefined;
    const row = await this.db
      .selectFrom('oidc_payloads')
      .select(['payload', 'consumed_at'])
      .where('model', '=', this.model)
      .where(column, '=', value)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
      .executeTakeFirst();
    return row ? withConsumed(row.payload, row.consumed_at) : undefined;
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.db
      .updateTable('oidc_payloads')
      .set({ consumed_at: sql<Date>`now()` })
      .where('model', '=', this.model)
      .where('id', '=', id)
      .execute();
  }

  async destroy(id: string): Promise<void> {
    await this.db.deleteFrom('oidc_payloads').where('model', '=', this.model).where('id', '=', id).execute();
  }

  /** Removes every token and code issued under the grant, whatever their model. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
  }
}

/** The `adapter` option of oidc-provider: one adapter per model name. */
export const pgAdapterFactory =
  (db: Db, clients: (model: string) => OidcAdapter | undefined) =>
  (model: string): OidcAdapter =>
    clients(model) ?? new PgAdapter(model, db);

/** A sign-in session that was ended, with the applications it had signed in (client id → sid). */
export interface EndedSession {
  readonly accountId: string;
  readonly sids: Readonly<Record<string, string>>;
}

/**
 * Ends everything an account holds at the provider — sessions, grants, codes, refresh tokens,
 * interactions — in the caller's transaction (deactivation, password reset), and returns the
 * sessions ended, so that the dashboards can be told once the transaction commits. Access
 * tokens that are JWTs stay valid at the services until they expire (minutes): they are not
 * stored anywhere to delete.
 */
export const revokeAccountAccess = async (db: Db, accountId: string): Promise<EndedSession[]> => {
  const rows = await db
    .deleteFrom('oidc_payloads')
    .where('account_id', '=', accountId)
    .returning(['model', 'payload'])
    .execute();
  return rows
    .filter((r) => r.model === 'Session')
    .map((r) => {
      const authorizations = (r.payload.authorizations ?? {}) as Record<string, { sid?: unknown }>;
      const sids = Object.fromEntries(
        Object.entries(authorizations).flatMap(([clientId, a]) =>
          typeof a.sid === 'string' ? [[clientId, a.sid]] : [],
        ),
      );
      return { accountId, sids };
    });
};

/** Deletes rows that expired before now; returns how many. Cheap to run often (indexed). */
export const purgeExpired = async (db: Db, batch = 5_000): Promise<number> => {
  const result = await sql<{ n: number }>`
    with gone as (
      delete from oidc_payloads
      where ctid in (select ctid from oidc_payloads where expires_at < now() limit ${batch})
      returning 1
    )
    select count(*)::int as n from gone`.execute(db);
  return result.rows[0]?.n ?? 0;
};
