/** Test helpers other services' tests use to sign people in through the real auth service. */
export { CookieBrowser, hiddenInput, formAction } from '@ates/sign-in';
export type { Page } from '@ates/sign-in';
export {
  startAuth,
  signIn,
  signInWithClient,
  signInThroughBrowser,
  discoverClient,
  demoAccount,
  freePort,
  testSecret,
  startProbeService,
  callApi,
  openSignedIn,
  signInForm,
  authForTests,
} from './harness.js';
export type { RunningAuth } from './harness.js';
