import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as oidc from 'openid-client';
import { isAppError, refuse, validationError } from '@ates/errors';
import type { Logger } from '@ates/logger';
import { apiAudience, type Caller, type TokenVerifier } from '@ates/token-verifier';
import { button, card, html, page, pageHeaders } from '@ates/ui';
import { createSessionCrypto, hashSessionId, randomToken, sameToken } from './crypto.js';
import { assertSessionsTableCurrent } from './migration.js';
import { createRefresher, expiresAt, timeoutSeconds } from './refresh.js';
import { safeReturnTo } from './return-to.js';
import {
  deleteSession,
  deleteSessionsOf,
  findActive,
  insertActive,
  insertPending,
  purgeExpiredSessions,
  sessionDb,
  takePending,
  type ActiveSession,
  type AnyDb,
} from './store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person; set by `requireViewer`. */
    viewer: Caller;
    /** Their access token for the aTES services (may be expired while auth is unreachable). */
    accessToken: string;
    /** Put it in every POST form as `_csrf` (or send it as `x-csrf-token`). */
    csrfToken: string;
  }
}

export interface DashboardSessionOptions {
  /** The dashboard's OAuth client id (see `dashboardClientIds`). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The auth service's issuer identifier (AUTH_ISSUER). */
  readonly issuer: string;
  /** Where this service reaches the auth service, when not at the issuer URL (AUTH_INTERNAL_URL). */
  readonly internalUrl?: string;
  /** This dashboard's public base URL (PUBLIC_URL). */
  readonly publicUrl: string;
  /** Where the dashboard is mounted under `publicUrl`: '' (default) or e.g. '/admin'. */
  readonly basePath?: string;
  /** DASHBOARD_SESSION_SECRET: the first signs and encrypts, all are accepted. */
  readonly sessionSecrets: readonly string[];
  /** The service's database, with `dashboardSessionsMigration` applied. */
  readonly db: AnyDb;
  /** Checks the access tokens the dashboard receives; the service's own verifier. */
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
  /** Longest a session lasts without signing in again; default 14 days (the refresh token's life). */
  readonly sessionTtlSeconds?: number;
  /** Timeout of every call to the auth service (discovery, code exchange, refresh); default 5 s. */
  readonly authTimeoutMs?: number;
}

export interface DashboardSession {
  /**
   * A preHandler for the dashboard's pages: without a session it redirects to sign-in (and back);
   * it refreshes the access token when it is about to expire; it checks the token on every request
   * with the service's verifier, so the viewer is who the service's API would accept (a
   * deactivated account's session ends, a changed role applies at once); on POST, PUT, PATCH and
   * DELETE it checks the CSRF token. Sets `request.viewer`, `request.accessToken`, `request.csrfToken`.
   */
  readonly requireViewer: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /** The sign-out URL (POST, with `_csrf`) for `page({ signOutUrl })`. */
  readonly signOutUrl: string;
  readonly loginUrl: string;
}

const pendingTtlSeconds = 600;
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Signs a dashboard's visitors in through the auth service — OpenID Connect code flow with PKCE,
 * by openid-client — and keeps them signed in: the session row lives in the dashboard service's
 * own database, the browser holds only a signed, httpOnly, SameSite=Lax cookie naming it.
 *
 * Routes (under `basePath`): GET /login, GET /callback, POST /logout. Register the service's
 * `@fastify/formbody` before the pages that post forms.
 *
 * When the auth service is unreachable, a signed-in person keeps using the dashboard while the
 * access token is valid, and is asked to sign in again once it has expired — never a 5xx, and no
 * connection or lock is held while auth is called (REQUIREMENTS U3; see refresh.ts). Sign-in
 * itself needs the auth service.
 */
// Any Fastify app, whatever its logger and type provider.
export const registerDashboardSession = async (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  app: FastifyInstance<any, any, any, any, any>,
  options: DashboardSessionOptions,
): Promise<DashboardSession> => {
  const base = options.basePath ?? '';
  const home = `${base}/`;
  const paths = {
    login: `${base}/login`,
    callback: `${base}/callback`,
    logout: `${base}/logout`,
    backchannel: `${base}/backchannel-logout`,
  };
  const redirectUri = `${options.publicUrl}${paths.callback}`;
  const cookieName = `${options.clientId}_session`;
  const secure = options.publicUrl.startsWith('https:');
  const ttlSeconds = options.sessionTtlSeconds ?? 14 * 24 * 3600;
  const crypto = createSessionCrypto(options.sessionSecrets);
  const db = sessionDb(options.db);
  const log = options.logger;
  const authTimeoutMs = options.authTimeoutMs ?? 5_000;
  const returnTo = (value: unknown): string => safeReturnTo(value, home, options.publicUrl);
  await assertSessionsTableCurrent(options.db);

  if (!app.hasRequestDecorator('cookies')) await app.register(cookie);
  for (const name of ['viewer', 'accessToken', 'csrfToken'] as const)
    if (!app.hasRequestDecorator(name)) app.decorateRequest(name, undefined as never);

  // Discovery is lazy and retried: a dashboard starts, and serves its signed-in people, while
  // the auth service is down.
  let configuration: Promise<oidc.Configuration> | undefined;
  const discover = (): Promise<oidc.Configuration> =>
    (configuration ??= oidc
      .discovery(
        new URL(options.issuer),
        options.clientId,
        { client_secret: options.clientSecret },
        oidc.ClientSecretBasic(options.clientSecret),
        {
          timeout: timeoutSeconds(authTimeoutMs),
          ...(options.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : {}),
          ...(options.internalUrl && options.internalUrl !== options.issuer
            ? {
                [oidc.customFetch]: (url: string, init: RequestInit) =>
                  fetch(
                    url.startsWith(options.issuer) ? `${options.internalUrl}${url.slice(options.issuer.length)}` : url,
                    init,
                  ),
              }
            : {}),
        },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      }));

  const setCookie = (reply: FastifyReply, value: string, maxAgeSeconds: number): void => {
    reply.setCookie(cookieName, value, {
      path: base || '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: maxAgeSeconds,
    });
  };
  const clearCookie = (reply: FastifyReply): void => {
    reply.clearCookie(cookieName, { path: base || '/', httpOnly: true, sameSite: 'lax', secure });
  };
  const sessionIdOf = (request: FastifyRequest): string | undefined => {
    const value = request.cookies[cookieName];
    return value ? crypto.idFromCookie(value) : undefined;
  };

  const notice = (
    reply: FastifyReply,
    status: number,
    title: string,
    message: string,
    signIn: string = paths.login,
  ): FastifyReply =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .headers(pageHeaders)
      .send(
        page({
          title,
          current: 'signin',
          body: card({
            title,
            body: html`<p>${message}</p><div class="form-actions">${button({ label: 'Sign in', href: signIn })}</div>`,
          }),
        }),
      );

  const verifiedViewer = async (accessToken: string): Promise<Caller> => options.verifier.verify(accessToken);

  app.get(paths.login, { schema: { hide: true } }, async (request, reply) => {
    let config: oidc.Configuration;
    try {
      config = await discover();
    } catch (error) {
      log.warn({ err: error }, 'auth service unreachable for sign-in');
      return notice(
        reply,
        503,
        'Sign-in is unavailable',
        'The sign-in service cannot be reached right now. Try again in a minute.',
      );
    }
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const session = crypto.newSession();
    await insertPending(
      db,
      hashSessionId(session.id),
      {
        codeVerifier,
        state,
        returnTo: returnTo((request.query as Record<string, unknown>).return_to),
        csrfToken: randomToken(),
      },
      pendingTtlSeconds,
    );
    setCookie(reply, session.cookie, pendingTtlSeconds);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      resource: apiAudience,
    });
    return reply.redirect(url.href, 303);
  });

  app.get(paths.callback, { schema: { hide: true } }, async (request, reply) => {
    const id = sessionIdOf(request);
    const pending = id ? await takePending(db, hashSessionId(id)) : undefined;
    if (!pending)
      return notice(
        reply,
        400,
        'Sign-in expired',
        'This sign-in took too long, or started in another browser. Sign in again.',
      );
    const query = request.query as Record<string, unknown>;
    if (typeof query.error === 'string') {
      clearCookie(reply);
      return notice(
        reply,
        400,
        'Sign-in cancelled',
        typeof query.error_description === 'string' ? query.error_description : 'Sign-in did not complete.',
      );
    }
    try {
      const config = await discover();
      const tokens = await oidc.authorizationCodeGrant(
        config,
        new URL(request.url, options.publicUrl),
        { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state },
        { resource: apiAudience },
      );
      const viewer = await verifiedViewer(tokens.access_token);
      const session = crypto.newSession();
      const active: ActiveSession = {
        idHash: hashSessionId(session.id),
        viewer,
        sid: typeof tokens.claims()?.sid === 'string' ? (tokens.claims()?.sid as string) : null,
        accessToken: crypto.seal(tokens.access_token),
        accessExpiresAt: expiresAt(tokens),
        refreshToken: tokens.refresh_token ? crypto.seal(tokens.refresh_token) : null,
        csrfToken: randomToken(),
        expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      };
      await insertActive(db, active);
      setCookie(reply, session.cookie, ttlSeconds);
      request.log.info({ account: viewer.id }, 'dashboard sign-in');
      // Checked again: a row written before this check existed may hold anything.
      return reply.redirect(returnTo(pending.returnTo), 303);
    } catch (error) {
      log.warn({ err: error }, 'dashboard sign-in could not be completed');
      clearCookie(reply);
      return notice(reply, 400, 'Sign-in failed', 'Sign-in could not be completed. Sign in again.');
    }
  });

  const refresher = createRefresher({ db, crypto, discover, verify: verifiedViewer, log, authTimeoutMs });

  const csrfOf = (request: FastifyRequest): string | undefined => {
    const header = request.headers['x-csrf-token'];
    if (typeof header === 'string') return header;
    const field = (request.body as Record<string, unknown> | undefined)?._csrf;
    return typeof field === 'string' ? field : undefined;
  };

  const toSignIn = (request: FastifyRequest, reply: FastifyReply, hadSession: boolean): FastifyReply => {
    if (hadSession) clearCookie(reply);
    const back = request.method === 'GET' ? request.url : home;
    // Returning the reply ends the request here: the page handler does not run.
    return reply.redirect(`${paths.login}?return_to=${encodeURIComponent(back)}`, 303);
  };

  /** The viewer the session's token stands for now, or undefined when it no longer stands for anyone. */
  const viewerOf = async (session: ActiveSession): Promise<Caller | undefined> => {
    try {
      return await verifiedViewer(crypto.open(session.accessToken) ?? '');
    } catch (error) {
      if (isAppError(error) && error.category === 'unauthenticated') return undefined;
      throw error;
    }
  };

  const requireViewer = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const id = sessionIdOf(request);
    const session = id ? await refresher.current(hashSessionId(id)) : undefined;
    if (!session) return toSignIn(request, reply, id !== undefined);
    const viewer = await viewerOf(session);
    if (!viewer) {
      // Expired, and auth cannot renew it now: keep the session for when it can, and say so.
      if (session.refreshToken && refresher.authUnreachable() && session.accessExpiresAt.getTime() <= Date.now())
        return notice(
          reply,
          401,
          'Sign in again',
          'Your sign-in has expired and the sign-in service cannot be reached right now. Try again in a minute.',
          `${paths.login}?return_to=${encodeURIComponent(request.method === 'GET' ? request.url : home)}`,
        );
      // Refused for good: a deactivated account, a token this service no longer accepts.
      await deleteSession(db, session.idHash);
      return toSignIn(request, reply, true);
    }
    if (unsafeMethods.has(request.method)) {
      const given = csrfOf(request);
      if (!given || !sameToken(given, session.csrfToken)) throw refuse('auth.csrf_invalid');
    }
    request.viewer = viewer;
    request.accessToken = crypto.open(session.accessToken) ?? '';
    request.csrfToken = session.csrfToken;
    return undefined;
  };

  app.post(paths.logout, { schema: { hide: true } }, async (request, reply) => {
    const id = sessionIdOf(request);
    const session = id ? await findActive(db, hashSessionId(id)) : undefined;
    if (!session) {
      clearCookie(reply);
      return reply.redirect(home, 303);
    }
    const given = csrfOf(request);
    if (!given || !sameToken(given, session.csrfToken)) throw refuse('auth.csrf_invalid');
    await deleteSession(db, session.idHash);
    clearCookie(reply);
    let config: oidc.Configuration;
    try {
      config = await discover();
    } catch {
      // Auth is down: this dashboard's session is gone; the sign-in session ends when auth is back.
      return reply.redirect(home, 303);
    }
    const refreshToken = session.refreshToken ? crypto.open(session.refreshToken) : undefined;
    if (refreshToken)
      await oidc
        .tokenRevocation(config, refreshToken)
        .catch((error: unknown) => log.warn({ err: error }, 'refresh token revocation failed'));
    // The auth service asks whether to sign out of every dashboard (ends the sign-in session and
    // revokes every dashboard's grant) or of this one only.
    return reply.redirect(
      oidc.buildEndSessionUrl(config, {
        client_id: options.clientId,
        post_logout_redirect_uri: `${options.publicUrl}${home}`,
      }).href,
      303,
    );
  });

  // OpenID Connect Back-Channel Logout: when a person signs out of every dashboard (at any of
  // them, or at the auth service), the provider POSTs a signed logout token here, and the
  // sessions of that sign-in session end at once instead of at their next token refresh.
  let logoutKeys: JWTVerifyGetKey | undefined;
  const backchannelEvent = 'http://schemas.openid.net/event/backchannel-logout';
  await app.register(async (scope) => {
    const form = 'application/x-www-form-urlencoded';
    if (!scope.hasContentTypeParser(form)) {
      scope.addContentTypeParser(form, { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) =>
        done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );
    }
    scope.post(paths.backchannel, { schema: { hide: true } }, async (request, reply) => {
      const token = (request.body as Record<string, unknown> | undefined)?.logout_token;
      if (typeof token !== 'string')
        throw validationError([{ field: 'logout_token', message: 'is required' }], {
          code: 'auth.logout_token_invalid',
        });
      const config = await discover();
      const jwksUri = config.serverMetadata().jwks_uri as string;
      logoutKeys ??= createRemoteJWKSet(
        new URL(
          options.internalUrl && jwksUri.startsWith(options.issuer)
            ? `${options.internalUrl}${jwksUri.slice(options.issuer.length)}`
            : jwksUri,
        ),
      );
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(token, logoutKeys, {
          issuer: options.issuer,
          audience: options.clientId,
          algorithms: ['RS256'],
          maxTokenAge: '5m',
          requiredClaims: ['iat', 'jti'],
        }));
      } catch (error) {
        request.log.info({ reason: (error as Error).message }, 'back-channel logout token refused');
        throw validationError([{ field: 'logout_token', message: 'is not a valid logout token of the auth service' }], {
          code: 'auth.logout_token_invalid',
        });
      }
      const events = claims.events as Record<string, unknown> | undefined;
      const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
      const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
      if (typeof events?.[backchannelEvent] !== 'object' || claims.nonce !== undefined || (!sid && !sub)) {
        throw validationError([{ field: 'logout_token', message: 'is not a back-channel logout token' }], {
          code: 'auth.logout_token_invalid',
        });
      }
      const ended = await deleteSessionsOf(db, sid ? { sid } : { accountId: sub as string });
      request.log.info({ ended, account: sub }, 'back-channel logout');
      return reply.header('cache-control', 'no-store').status(200).send();
    });
  });

  const purge = setInterval(() => {
    purgeExpiredSessions(db).catch((error: unknown) =>
      log.warn({ err: error }, 'could not purge expired dashboard sessions'),
    );
  }, 3_600_000);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));

  return { requireViewer, signOutUrl: paths.logout, loginUrl: paths.login };
};
