import * as client from 'openid-client';
import { CookieBrowser, formAction, type Page } from './browser.js';

/** The resource indicator of the aTES services' APIs: access tokens for it are what they accept. */
export const apiResource = 'urn:ates:api';

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

export type Tokens = client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;

/** An openid-client configuration for a client registered at `issuer` (plain http allowed: local systems). */
export const discoverClient = (
  issuer: string,
  clientId: string,
  clientSecret: string | undefined,
): Promise<client.Configuration> =>
  client.discovery(
    new URL(issuer),
    clientId,
    clientSecret === undefined ? undefined : { client_secret: clientSecret },
    clientSecret === undefined ? client.None() : client.ClientSecretBasic(clientSecret),
    {
      execute: [client.allowInsecureRequests],
    },
  );

/** An authorization request for the aTES services, with PKCE. */
export const authorizationRequest = async (
  config: client.Configuration,
  redirectUri: string,
): Promise<{ url: URL; verifier: string }> => {
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    resource: apiResource,
  });
  return { url, verifier };
};

/**
 * Signs in on the page the provider shows (when it shows one) and allows a third-party
 * application on the consent page (when it asks), as a person clicking through would. Returns
 * the page after the last step.
 */
const answerPrompts = async (
  browser: CookieBrowser,
  start: Page,
  credentials: Credentials | undefined,
  stays: (next: URL) => boolean,
): Promise<Page> => {
  let page = start;
  if (page.status === 200 && page.body.includes('name="password"')) {
    if (!credentials) throw new Error('the provider asked to sign in, and no credentials were given');
    const action = formAction(page.body, '/login', page.url);
    if (!action) throw new Error('no sign-in form on the page');
    page = await browser.post(action, { email: credentials.email, password: credentials.password });
    if (page.status !== 303 || !page.location)
      throw new Error(`sign-in failed: ${page.status} ${page.body.slice(0, 500)}`);
    page = await browser.navigate(page.location, stays);
  }
  const confirm = page.status === 200 ? formAction(page.body, '/confirm', page.url) : undefined;
  if (confirm) {
    page = await browser.post(confirm, {});
    if (page.status !== 303 || !page.location)
      throw new Error(`consent failed: ${page.status} ${page.body.slice(0, 500)}`);
    page = await browser.navigate(page.location, stays);
  }
  return page;
};

/**
 * Walks a browser from an authorization URL through the sign-in page (when a session does not
 * already exist) and the consent page (third-party applications) to the redirect back to the
 * client; returns that redirect URL (with the code).
 */
export const signInThroughBrowser = async (
  browser: CookieBrowser,
  authorizationUrl: URL,
  credentials: Credentials | undefined,
  redirectUri: string,
): Promise<URL> => {
  const issuer = authorizationUrl.origin;
  const stays = (next: URL) => next.origin === issuer;
  const page = await answerPrompts(browser, await browser.navigate(authorizationUrl.href, stays), credentials, stays);
  if (!page.location?.startsWith(redirectUri))
    throw new Error(
      `expected a redirect to ${redirectUri}, got ${page.status} ${page.location ?? page.body.slice(0, 500)}`,
    );
  return new URL(page.location);
};

/**
 * One sign-in of `credentials` as the already discovered application `config`: authorization
 * request with PKCE, the sign-in page in a fresh browser, the code exchange for tokens for the
 * aTES services.
 */
export const signInWithClient = async (
  config: client.Configuration,
  credentials: Credentials,
  redirectUri: string,
): Promise<Tokens> => {
  const { url, verifier } = await authorizationRequest(config, redirectUri);
  const callback = await signInThroughBrowser(new CookieBrowser(), url, credentials, redirectUri);
  return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier }, { resource: apiResource });
};

/**
 * Opens `url` in `browser` as a person would: following redirects among `origins` (the dashboard's
 * and the auth service's), signing in with `credentials` when the sign-in page comes up. Returns
 * the page it ends on.
 */
export const openSignedIn = async (
  browser: CookieBrowser,
  url: string,
  origins: readonly string[],
  credentials?: Credentials,
): Promise<Page> => {
  const follow = (next: URL) => origins.includes(next.origin);
  let page = await browser.navigate(url, follow);
  if (page.status === 200 && page.body.includes('name="password"') && credentials) {
    page = await browser.post(formAction(page.body, '/login', page.url) as string, {
      email: credentials.email,
      password: credentials.password,
    });
    if (page.location) page = await browser.navigate(page.location, follow);
  }
  return page;
};
