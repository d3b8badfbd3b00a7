/**
 * How every aTES dashboard serves its pages (HTML with the security headers, flash messages,
 * form parsing, refusals as pages). Sign-in is `@ates/dashboard-session`; the look is `@ates/ui`.
 */
export { registerDashboardPages } from './plugin.js';
export type { DashboardPagesOptions, MessageOptions } from './plugin.js';
export { createFlashCodec, flashMaxAgeSeconds } from './flash.js';
export type { FlashCodec } from './flash.js';
export { setUpDashboard } from './setup.js';
export { formField, pageNumberOf, shownRefusal, textOf } from './input.js';
export type { DashboardSetup, SignedInDashboard } from './setup.js';
export { dashboardLinksOf, dashboardUrlEnv, otherDashboardUrls } from './links.js';
export type { LinkConfig } from './links.js';
