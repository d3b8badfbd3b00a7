import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chartsJs } from './chart-script.js';
import { uiCss } from './styles.js';
import { uiJs } from './script.js';

const version = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);

export const uiCssPath = '/assets/ui.css';
export const uiJsPath = '/assets/ui.js';
/** The URLs pages link to: versioned by content, so the long cache never serves a stale file. */
export const uiCssHref = `${uiCssPath}?v=${version(uiCss)}`;
export const uiJsHref = `${uiJsPath}?v=${version(uiJs)}`;

/** Chart.js, from its package (served by the service itself: no CDN, and CSP script-src 'self'). */
const chartJsLibrary = (): string => {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(path.join(path.dirname(entry), 'chart.umd.min.js'), 'utf8');
};
export const chartLibraryPath = '/assets/chart.umd.js';
export const chartsJsPath = '/assets/charts.js';
let chartLibrary: { body: string; href: string } | undefined;
const library = (): { body: string; href: string } => {
  if (!chartLibrary) {
    const body = chartJsLibrary();
    chartLibrary = { body, href: `${chartLibraryPath}?v=${version(body)}` };
  }
  return chartLibrary;
};
/** The scripts a page with charts loads, in order. */
export const chartScriptHrefs = (): readonly string[] => [library().href, `${chartsJsPath}?v=${version(chartsJs)}`];

/** The reply methods the asset routes use (Fastify's reply has them). */
export interface UiAssetReply {
  type(contentType: string): UiAssetReply;
  header(name: string, value: string): UiAssetReply;
  send(body: string): unknown;
}

/** What `registerUiAssets` needs of an app: Fastify's `get(path, options, handler)` and `hasRoute`. */
export interface UiAssetHost {
  get(
    path: string,
    options: { schema: { hide: boolean } },
    handler: (request: unknown, reply: UiAssetReply) => unknown,
  ): unknown;
  hasRoute?(route: { method: 'GET'; url: string }): boolean;
}

const cacheControl = 'public, max-age=31536000, immutable';

/**
 * Registers `GET /assets/ui.css`, `/assets/ui.js`, and for pages with charts
 * `/assets/chart.umd.js` and `/assets/charts.js` (hidden from the OpenAPI document), cached for a
 * year: pages link them with a content hash in the query. Routes are global to a Fastify app, so
 * an asset some other scope of the app already serves (the auth service's sign-in pages beside its
 * admin dashboard) is left as it is.
 */
export const registerUiAssets = (app: UiAssetHost): void => {
  const serve = (path: string, contentType: string, body: string): void => {
    if (app.hasRoute?.({ method: 'GET', url: path })) return;
    app.get(path, { schema: { hide: true } }, (_request, reply) =>
      reply
        .type(contentType)
        .header('cache-control', cacheControl)
        .header('x-content-type-options', 'nosniff')
        .send(body),
    );
  };
  serve(uiCssPath, 'text/css; charset=utf-8', uiCss);
  serve(uiJsPath, 'text/javascript; charset=utf-8', uiJs);
  serve(chartLibraryPath, 'text/javascript; charset=utf-8', library().body);
  serve(chartsJsPath, 'text/javascript; charset=utf-8', chartsJs);
};

/**
 * A Content-Security-Policy the dashboards can send: nothing inline, nothing from elsewhere
 * (`img-src data:` is the favicon and the select arrow).
 */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The headers every HTML page of aTES carries: no caching of personal pages, no framing, no sniffing, no leaking URLs. */
export const pageHeaders = {
  'cache-control': 'no-store',
  'content-security-policy': contentSecurityPolicy,
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
} as const;
