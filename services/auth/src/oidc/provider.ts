import Provider, {
  errors,
  interactionPolicy,
  type Account as OidcAccount,
  type ClientMetadata,
  type Configuration,
  type KoaContext,
  type OidcToken,
} from 'oidc-provider';
import { isSafeText } from '@ates/http';
import type { Logger } from '@ates/logger';
import { apiAudience } from '@ates/token-verifier';
import { clientSecretMatches, findApplication, type StoredApplication } from '../applications/applications.js';
import { findAccount } from '../accounts/store.js';
import type { Account } from '../accounts/account.js';
import type { TokenLifetimes } from '../config.js';
import type { AuthDb } from '../db.js';
import { pgAdapterFactory } from './adapter.js';
import type { OidcAdapter } from './oidc-provider-types.js';
import { signingAlg, type SigningKey } from './signing-keys.js';
import type { OidcPages } from './pages.js';

/**
 * The OpenID Connect provider (panva's oidc-provider, OpenID Certified): authorization code flow
 * with PKCE, refresh tokens, RP-initiated logout, userinfo, token revocation, and resource
 * indicators (RFC 8707) so that the token for `urn:ates:api` is a JWT every service verifies on its
 * own. Everything it stores goes through the PostgreSQL adapter; clients come from `applications`.
 */
export interface ProviderOptions {
  readonly issuer: string;
  readonly db: AuthDb;
  readonly logger: Logger;
  /** Private JWKs, the signing one first. */
  readonly keys: readonly SigningKey[];
  /** Secrets that sign the provider's cookies, newest first (older ones still verify). */
  readonly cookieKeys: readonly string[];
  readonly ttl: TokenLifetimes;
  readonly trustProxy: boolean;
  readonly pages: OidcPages;
  /**
   * Origins of the dashboards from configuration. The provider calls back-channel logout URIs
   * and refuses private and loopback addresses (SSRF protection); the configured dashboards
   * usually live at exactly such addresses, so requests to them are let through — requests to
   * admin-registered applications stay protected.
   */
  readonly trustedOrigins: readonly string[];
}

/** Mount point of the provider's endpoints; discovery stays at /.well-known/openid-configuration. */
export const oidcPrefix = '/oidc';

export const isProviderPath = (path: string): boolean =>
  path.startsWith(`${oidcPrefix}/`) ||
  path === '/.well-known/openid-configuration' ||
  path === '/.well-known/oauth-authorization-server';

/** The scopes aTES knows, and the claims each one releases (to userinfo and ID tokens). */
const claims = {
  openid: ['sub'],
  profile: ['name', 'role'],
  email: ['email'],
};

const accountClaims = (account: Account): Record<string, unknown> => ({
  sub: account.public_id,
  name: account.full_name,
  email: account.email,
  role: account.role,
});

/** Client metadata for oidc-provider, from a row of `applications`. */
export const clientMetadata = (app: StoredApplication): ClientMetadata => ({
  client_id: app.client_id,
  client_name: app.name,
  redirect_uris: app.redirect_uris,
  post_logout_redirect_uris: app.post_logout_redirect_uris,
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  id_token_signed_response_alg: signingAlg,
  first_party: app.first_party,
  ...(app.backchannel_logout_uri
    ? { backchannel_logout_uri: app.backchannel_logout_uri, backchannel_logout_session_required: true }
    : {}),
  ...(app.secret_hash === null
    ? { token_endpoint_auth_method: 'none' }
    : { token_endpoint_auth_method: 'client_secret_basic', client_secret: app.secret_hash }),
});

/** Reads clients from `applications`; registration through the provider is disabled. */
const clientAdapter = (db: AuthDb): OidcAdapter => {
  const unsupported = async (): Promise<never> => {
    throw new Error('clients are managed in the applications table, not through the provider');
  };
  return {
    find: async (id) => {
      // A client id as a request typed it: one PostgreSQL cannot hold is no client (not a 500).
      if (!isSafeText(id)) return undefined;
      const app = await findApplication(db, id);
      return app ? clientMetadata(app) : undefined;
    },
    upsert: unsupported,
    findByUid: unsupported,
    findByUserCode: unsupported,
    consume: unsupported,
    destroy: unsupported,
    revokeByGrantId: unsupported,
  };
};

/** The login prompt also fires when the session's account was deactivated meanwhile. */
const policy = () => {
  const base = interactionPolicy.base();
  base
    .get('login')
    ?.checks.add(
      new interactionPolicy.Check(
        'account_unavailable',
        'the account of this session can no longer sign in',
        (ctx: KoaContext) =>
          ctx.oidc.session?.accountId !== undefined && ctx.oidc.account === undefined
            ? interactionPolicy.Check.REQUEST_PROMPT
            : interactionPolicy.Check.NO_NEED_TO_PROMPT,
      ),
    );
  return base;
};

export const createProvider = (options: ProviderOptions): Provider => {
  const { db, logger } = options;
  const secure = options.issuer.startsWith('https:');
  const cookie = { httpOnly: true, sameSite: 'lax', signed: true, secure };
  const trusted = new Set(options.trustedOrigins.map((o) => new URL(o).origin));

  const findActiveAccount = async (id: string): Promise<Account | undefined> => {
    const account = await findAccount(db, id);
    return account?.active ? account : undefined;
  };

  const configuration: Configuration = {
    adapter: pgAdapterFactory(db, (model) => (model === 'Client' ? clientAdapter(db) : undefined)),
    jwks: { keys: options.keys.map((k) => k.privateJwk) },
    cookies: {
      keys: [...options.cookieKeys],
      names: { session: 'ates_auth_session', interaction: 'ates_auth_interaction', resume: 'ates_auth_resume' },
      long: cookie,
      short: cookie,
    },
    claims,
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: signingAlg,
    },
    extraClientMetadata: {
      properties: ['first_party'],
      validator: (_ctx: unknown, key: string, value: unknown) => {
        if (key === 'first_party' && value !== undefined && typeof value !== 'boolean')
          throw new errors.InvalidClientMetadata('first_party must be a boolean');
      },
    },
    pkce: { required: () => true },
    routes: {
      authorization: `${oidcPrefix}/auth`,
      token: `${oidcPrefix}/token`,
      jwks: `${oidcPrefix}/jwks`,
      userinfo: `${oidcPrefix}/me`,
      end_session: `${oidcPrefix}/session/end`,
      revocation: `${oidcPrefix}/token/revocation`,
      introspection: `${oidcPrefix}/token/introspection`,
      pushed_authorization_request: `${oidcPrefix}/request`,
      code_verification: `${oidcPrefix}/device`,
      device_authorization: `${oidcPrefix}/device/auth`,
      backchannel_authentication: `${oidcPrefix}/backchannel`,
      registration: `${oidcPrefix}/reg`,
      challenge: `${oidcPrefix}/challenge`,
      credential: `${oidcPrefix}/credential`,
    },
    features: {
      devInteractions: { enabled: false },
      // Signing out ends the dashboards' own sessions at once: each gets a signed logout token.
      backchannelLogout: { enabled: true },
      pushedAuthorizationRequests: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) =>
          token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: options.pages.logoutSource,
        postLogoutSuccessSource: options.pages.postLogoutSuccessSource,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: readonly string[]) => oneOf,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator !== apiAudience)
            throw new errors.InvalidTarget(`unknown resource ${indicator}; aTES services are ${apiAudience}`);
          return {
            scope: 'api',
            audience: apiAudience,
            accessTokenTTL: options.ttl.accessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: signingAlg } },
          };
        },
      },
    },
    ttl: {
      AccessToken: (_ctx: unknown, token: OidcToken) => token.resourceServer?.accessTokenTTL ?? options.ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: options.ttl.idToken,
      RefreshToken: options.ttl.refreshToken,
      Session: options.ttl.session,
      Grant: options.ttl.refreshToken,
      Interaction: 30 * 60,
    },
    // OpenID Connect grants refresh tokens only for offline_access asked with prompt=consent.
    // aTES's own dashboards get them without that dance; theirs end with the sign-in session
    // (`expiresWithSession`), so signing out ends them everywhere.
    issueRefreshToken: async (
      _ctx: unknown,
      client: { grantTypeAllowed(type: string): boolean; first_party?: unknown },
      code: { scopes: ReadonlySet<string> },
    ) => client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || client.first_party === true),
    // Access tokens for the services carry who the caller is, so no service needs to ask — and the
    // account's version, so that a service can tell whether its copy of the account is newer.
    extraTokenClaims: async (_ctx: unknown, token: OidcToken) => {
      if (token.kind !== 'AccessToken' || token.resourceServer?.audience !== apiAudience || !token.accountId)
        return undefined;
      const account = await findActiveAccount(token.accountId);
      return account
        ? { role: account.role, name: account.full_name, email: account.email, account_version: account.version }
        : undefined;
    },
    findAccount: async (_ctx: unknown, sub: string): Promise<OidcAccount | undefined> => {
      const account = await findActiveAccount(sub);
      return account ? { accountId: account.public_id, claims: () => accountClaims(account) } : undefined;
    },
    // First-party dashboards need no consent: the grant is made (or widened) here, when the
    // authorization request is processed, so one sign-in opens every dashboard the role allows.
    loadExistingGrant: async (ctx: KoaContext) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = (ctx.oidc.result?.consent?.grantId as string | undefined) ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (client.first_party !== true) return existing;
      const grant =
        existing ?? new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      for (const [indicator, server] of Object.entries(ctx.oidc.resourceServers))
        grant.addResourceScope(indicator, server.scope);
      await grant.save();
      return grant;
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      policy: policy(),
    },
    renderError: options.pages.renderError,
    conformIdTokenClaims: true,
    clockTolerance: 15,
    fetch: (url: string, init: RequestInit & { dispatcher?: unknown }) => {
      if (!trusted.has(new URL(url).origin)) return fetch(url, init);
      const { dispatcher: _ssrfProtection, ...rest } = init;
      return fetch(url, rest);
    },
  };

  const provider = new Provider(options.issuer, configuration);
  provider.proxy = options.trustProxy;
  // Client secrets are stored hashed: compare the hash of what the client sent.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: { clientSecret?: string },
    actual: string,
  ) {
    return this.clientSecret !== undefined && clientSecretMatches(actual, this.clientSecret);
  };
  provider.on('server_error', (_ctx: unknown, error: unknown) => logger.error({ err: error }, 'OIDC provider error'));
  for (const event of [
    'authorization.error',
    'grant.error',
    'end_session.error',
    'userinfo.error',
    'revocation.error',
    'backchannel.error',
  ]) {
    provider.on(event, (_ctx: unknown, error: unknown) => {
      const e = error as { error?: string; error_description?: string; status?: number };
      if ((e.status ?? 500) >= 500) logger.error({ err: error, event }, 'OIDC provider error');
      else logger.info({ event, error: e.error, detail: e.error_description }, 'OIDC request refused');
    });
  }
  return provider;
};
