import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Interaction } from 'oidc-provider';
import type { ServiceApp } from '@ates/http';
import { formField } from '@ates/dashboard-pages';
import { pageHeaders } from '@ates/ui';
import { findCredentials, setPasswordHash } from '../accounts/store.js';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../accounts/passwords.js';
import type { AuthDb } from '../db.js';
import type { OidcHost } from './host.js';
import { consentHtml, errorHtml as errorPage, signInHtml } from './pages.js';
import type { SignInThrottle } from './sign-in-throttle.js';

/**
 * The interaction routes the provider sends browsers to: the sign-in page (every application)
 * and the consent page (third-party applications only; first-party dashboards are granted in
 * `loadExistingGrant`). Failures never tell whether an account exists: unknown email, wrong
 * password and deactivated account get the same answer after the same amount of work.
 */
export interface InteractionDeps {
  readonly db: AuthDb;
  readonly host: OidcHost;
  readonly throttle: SignInThrottle;
}

const Params = Type.Object({ uid: Type.String({ minLength: 1, maxLength: 128 }) });
const wrongCredentials = 'The email or password is incorrect.';

const sendHtml = (reply: FastifyReply, status: number, body: string): FastifyReply =>
  reply.status(status).type('text/html; charset=utf-8').headers(pageHeaders).send(body);

const minutes = (seconds: number): string => {
  const m = Math.ceil(seconds / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
};

export const registerInteractionRoutes = (app: ServiceApp, deps: InteractionDeps): void => {
  /** The interaction of this browser, or undefined after answering with an explanation. */
  const interactionOf = async (
    request: FastifyRequest,
    reply: FastifyReply,
    uid: string,
  ): Promise<Interaction | undefined> => {
    try {
      const details = await deps.host.provider().interactionDetails(request.raw, reply.raw);
      if (details.uid === uid) return details;
    } catch {
      // SessionNotFound: the interaction expired, or its cookie did not come with the request.
    }
    sendHtml(
      reply,
      400,
      errorPage(
        'This sign-in link has expired or was opened in another browser. Go back to the dashboard and sign in again.',
      ),
    );
    return undefined;
  };

  app.get('/interaction/:uid', { schema: { hide: true, params: Params } }, async (request, reply) => {
    const details = await interactionOf(request, reply, request.params.uid);
    if (!details) return reply;
    if (details.prompt.name === 'login')
      return sendHtml(
        reply,
        200,
        signInHtml(details.uid, {
          email: typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined,
        }),
      );
    if (details.prompt.name === 'consent') {
      const client = await deps.host.provider().Client.find(details.params.client_id);
      const prompt = details.prompt.details as {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      const scopes = [...(prompt.missingOIDCScope ?? []), ...Object.values(prompt.missingResourceScopes ?? {}).flat()];
      return sendHtml(
        reply,
        200,
        consentHtml(details.uid, client?.clientName ?? details.params.client_id, [...new Set(scopes)]),
      );
    }
    return sendHtml(reply, 400, errorPage(`Unexpected sign-in step ${details.prompt.name}.`));
  });

  app.post('/interaction/:uid/login', { schema: { hide: true, params: Params } }, async (request, reply) => {
    const details = await interactionOf(request, reply, request.params.uid);
    if (!details) return reply;
    if (details.prompt.name !== 'login')
      return sendHtml(reply, 400, errorPage('This sign-in step was already completed.'));
    const email = formField(request.body, 'email').trim().slice(0, 320);
    const password = formField(request.body, 'password').slice(0, 1024);
    const address = request.ip;
    if (email === '' || password === '')
      return sendHtml(reply, 400, signInHtml(details.uid, { email, error: 'Enter your email and password.' }));

    // Counted before the password is looked at: parallel guesses cannot slip past the limit.
    const verdict = await deps.throttle.attempt(email, address);
    if (verdict.blocked) {
      reply.header('retry-after', String(verdict.retryAfterSeconds));
      request.log.warn({ address }, 'sign-in throttled');
      return sendHtml(
        reply,
        429,
        signInHtml(details.uid, {
          email,
          error: `Too many failed sign-ins. Try again in ${minutes(verdict.retryAfterSeconds)}.`,
        }),
      );
    }

    const credentials = await findCredentials(deps.db, email);
    // An unknown email still costs one scrypt verification, so timing does not reveal it either.
    const matches = await verifyPassword(password, credentials?.password_hash ?? (await decoyHash()));
    if (!credentials || !matches || !credentials.account.active) {
      request.log.info({ address }, 'sign-in failed');
      return sendHtml(reply, 401, signInHtml(details.uid, { email, error: wrongCredentials }));
    }
    await deps.throttle.succeeded(email, address);
    if (needsRehash(credentials.password_hash))
      await setPasswordHash(deps.db, credentials.account.public_id, await hashPassword(password));
    request.log.info({ account: credentials.account.public_id }, 'signed in');
    const returnTo = await deps.host
      .provider()
      .interactionResult(
        request.raw,
        reply.raw,
        { login: { accountId: credentials.account.public_id, amr: ['pwd'] } },
        { mergeWithLastSubmission: false },
      );
    return reply.redirect(returnTo, 303);
  });

  app.post('/interaction/:uid/confirm', { schema: { hide: true, params: Params } }, async (request, reply) => {
    const details = await interactionOf(request, reply, request.params.uid);
    if (!details) return reply;
    const accountId = details.session?.accountId;
    if (details.prompt.name !== 'consent' || !accountId)
      return sendHtml(reply, 400, errorPage('There is nothing to allow in this sign-in step.'));
    const provider = deps.host.provider();
    const grant =
      (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
      new provider.Grant({ accountId, clientId: details.params.client_id });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(
      request.raw,
      reply.raw,
      { consent: details.grantId ? {} : { grantId } },
      { mergeWithLastSubmission: true },
    );
    return reply.redirect(returnTo, 303);
  });

  app.get('/interaction/:uid/abort', { schema: { hide: true, params: Params } }, async (request, reply) => {
    const details = await interactionOf(request, reply, request.params.uid);
    if (!details) return reply;
    const returnTo = await deps.host
      .provider()
      .interactionResult(
        request.raw,
        reply.raw,
        { error: 'access_denied', error_description: 'The person declined to sign in to this application.' },
        { mergeWithLastSubmission: false },
      );
    return reply.redirect(returnTo, 303);
  });
};
