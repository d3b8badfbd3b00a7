export { CookieBrowser, formAction, hiddenInput } from './browser.js';
export type { Page } from './browser.js';
export {
  apiResource,
  authorizationRequest,
  discoverClient,
  openSignedIn,
  signInThroughBrowser,
  signInWithClient,
} from './flow.js';
export type { Credentials, Tokens } from './flow.js';
