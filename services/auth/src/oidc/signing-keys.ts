import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { sql, type Kysely } from 'kysely';
import type { AuthDatabase } from '../db.js';

/**
 * Token signing keys. RS256 (RSA 2048): the algorithm every OpenID Connect client and JOSE library
 * supports, and cheap to verify — the services verify far more often than auth signs.
 *
 * Life of a key, all in the `signing_keys` table (so every instance signs alike and a restart
 * keeps them):
 *   1. created by `rotateSigningKey`: published in the JWKS at once, not signing yet;
 *   2. at `activates_at` it becomes the signing key (the previous one retires at that moment);
 *      the delay lets every service's cached JWKS learn the key before any token uses it;
 *   3. retired, it stays published until `publish_until`, when the last token it signed has
 *      expired, so those tokens keep verifying; then it is deleted.
 */
export const signingAlg = 'RS256';

/**
 * Default delay between a rotation and the new key signing: longer than the services' JWKS
 * refresh (5 minutes) plus the auth instances' key check (30 seconds).
 */
export const defaultActivationDelaySeconds = 600;

type Db = Kysely<AuthDatabase>;

export interface SigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly activatesAt: Date;
  readonly retiredAt: Date | null;
  readonly publishUntil: Date | null;
  /** Whether this key signs now. */
  readonly signing: boolean;
}

const lockKey = 'ates:auth:signing-keys';

const newKey = async (): Promise<{ kid: string; jwk: JWK }> => {
  const { privateKey } = await generateKeyPair(signingAlg, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, jwk: { ...jwk, kid, alg: signingAlg, use: 'sig' } };
};

/** Creates the first key, signing at once, if there is none; safe when several instances start together. */
export const ensureSigningKey = async (db: Db): Promise<void> => {
  const any = await db.selectFrom('signing_keys').select('kid').where('retired_at', 'is', null).executeTakeFirst();
  if (any) return;
  const key = await newKey();
  await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(tx);
    const again = await tx.selectFrom('signing_keys').select('kid').where('retired_at', 'is', null).executeTakeFirst();
    if (!again)
      await tx
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          alg: signingAlg,
          private_jwk: JSON.stringify(key.jwk),
          retired_at: null,
          publish_until: null,
        })
        .execute();
  });
};

export interface Rotation {
  readonly newKid: string;
  /** When the new key starts signing. */
  readonly activatesAt: Date;
  readonly retiredKid: string | undefined;
  /** When the key it replaces leaves the JWKS. */
  readonly retiredKeyPublishedUntil: Date | undefined;
}

/**
 * Adds a key that signs `activationDelaySeconds` from now, and plans the retirement of the key it
 * replaces for that moment. `maxTokenLifetimeSeconds`: the longest a token signed by the replaced
 * key can stay valid; it stays published that long after its retirement, plus a minute of skew.
 * An activation delay of 0 is for a compromised key: services learn the new key on the first
 * token that uses it (at most one JWKS fetch per 30 s each).
 */
export const rotateSigningKey = async (
  db: Db,
  options: { maxTokenLifetimeSeconds: number; activationDelaySeconds?: number },
): Promise<Rotation> => {
  const delay = options.activationDelaySeconds ?? defaultActivationDelaySeconds;
  const key = await newKey();
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(tx);
    const activatesAt = sql<Date>`now() + make_interval(secs => ${delay})`;
    const retired = await tx
      .updateTable('signing_keys')
      .set({
        retired_at: activatesAt,
        publish_until: sql<Date>`now() + make_interval(secs => ${delay + options.maxTokenLifetimeSeconds + 60})`,
      })
      .where('retired_at', 'is', null)
      .returning(['kid', 'publish_until'])
      .executeTakeFirst();
    const inserted = await tx
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        alg: signingAlg,
        private_jwk: JSON.stringify(key.jwk),
        activates_at: activatesAt,
        retired_at: null,
        publish_until: null,
      })
      .returning('activates_at')
      .executeTakeFirstOrThrow();
    return {
      newKid: key.kid,
      activatesAt: inserted.activates_at,
      retiredKid: retired?.kid,
      retiredKeyPublishedUntil: retired?.publish_until ?? undefined,
    };
  });
};

/**
 * The keys to publish, the one signing now first (oidc-provider signs with the first key that
 * fits), then the others newest first.
 */
export const publishedKeys = async (db: Db): Promise<SigningKey[]> => {
  const rows = await db
    .selectFrom('signing_keys')
    .select([
      'kid',
      'private_jwk',
      'activates_at',
      'retired_at',
      'publish_until',
      sql<boolean>`activates_at <= now() and (retired_at is null or retired_at > now())`.as('signing'),
    ])
    .where((eb) => eb.or([eb('publish_until', 'is', null), eb('publish_until', '>', sql<Date>`now()`)]))
    .orderBy(sql`activates_at <= now() and (retired_at is null or retired_at > now())`, 'desc')
    .orderBy('activates_at', 'desc')
    .execute();
  return rows.map((r) => ({
    kid: r.kid,
    privateJwk: r.private_jwk as JWK,
    activatesAt: r.activates_at,
    retiredAt: r.retired_at,
    publishUntil: r.publish_until,
    signing: r.signing,
  }));
};

/** Keys no longer published can have signed nothing still valid: deletes them. */
export const deleteUnpublishedKeys = async (db: Db): Promise<number> => {
  const result = await db
    .deleteFrom('signing_keys')
    .where('publish_until', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
};

/** The public half of a private JWK, as published in the JWKS. */
export const publicJwk = (jwk: JWK): JWK => {
  const { kty, n, e, crv, x, y, kid, alg, use } = jwk;
  return Object.fromEntries(
    Object.entries({ kty, n, e, crv, x, y, kid, alg, use }).filter(([, v]) => v !== undefined),
  ) as JWK;
};
