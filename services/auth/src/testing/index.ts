/** Test helpers other services' tests use to sign people in through the real auth service. */
export { TestBrowser, hiddenInput, formAction } from './browser.js';
export type { Page } from './browser.js';
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
