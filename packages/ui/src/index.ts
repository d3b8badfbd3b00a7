export { html, raw, join, escapeHtml, isSafeHtml, attributes, classes } from './html.js';
export type { SafeHtml } from './html.js';
export { money, signedMoney, formatDate, formatDateTime } from './format.js';
export { icon, logo, faviconHref } from './icons.js';
export type { IconName } from './icons.js';
export {
  pageHeader,
  card,
  stat,
  statGroup,
  table,
  badge,
  button,
  form,
  hiddenFields,
  field,
  confirmAction,
  pagination,
  emptyState,
  tabs,
  split,
  descriptionList,
  amount,
  time,
} from './components.js';
export type { Column, BadgeTone, ButtonKind } from './components.js';
export { page, signInPage, flashes, dashboardLabels, brandName, companyName } from './layout.js';
export type { Role, Dashboard, Viewer, DashboardLinks, Flash } from './layout.js';
export { uiCss } from './styles.js';
export { uiJs } from './script.js';
export { chart } from './chart.js';
export type { ChartOptions, ChartSeries } from './chart.js';
export {
  registerUiAssets,
  uiCssHref,
  uiJsHref,
  uiCssPath,
  uiJsPath,
  contentSecurityPolicy,
  pageHeaders,
} from './assets.js';
export type { UiAssetHost, UiAssetReply } from './assets.js';
