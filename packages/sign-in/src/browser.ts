/**
 * A small browser (for tests and the load generator): plain `fetch` with a cookie jar (name, host
 * and path scoped; expiry honoured), manual redirects, and form posts. Enough to walk through the sign-in page and the
 * redirects of an OpenID Connect flow exactly as a browser would, without a browser.
 */
interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly host: string;
  readonly path: string;
  readonly expiresAt: number | undefined;
}

export interface Page {
  readonly status: number;
  readonly url: string;
  readonly location: string | undefined;
  readonly headers: Headers;
  readonly body: string;
}

const defaultPath = (url: URL): string => {
  const path = url.pathname;
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
};

const pathMatches = (requestPath: string, cookiePath: string): boolean =>
  requestPath === cookiePath ||
  (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));

export class CookieBrowser {
  private cookies: StoredCookie[] = [];

  /** Cookies that would be sent to `url`, as name → value. */
  cookiesFor(url: string): Record<string, string> {
    const target = new URL(url);
    const now = Date.now();
    this.cookies = this.cookies.filter((c) => c.expiresAt === undefined || c.expiresAt > now);
    const matching = this.cookies.filter((c) => c.host === target.host && pathMatches(target.pathname, c.path));
    // Longer paths first, as browsers do.
    matching.sort((a, b) => b.path.length - a.path.length);
    const out: Record<string, string> = {};
    for (const c of matching) out[c.name] ??= c.value;
    return out;
  }

  /** Forgets every cookie (a new browser profile). */
  clear(): void {
    this.cookies = [];
  }

  private store(url: URL, header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((p) => p.trim());
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let path = defaultPath(url);
    let expiresAt: number | undefined;
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split('=');
      const k = key.toLowerCase();
      if (k === 'path' && val.startsWith('/')) path = val;
      if (k === 'max-age') expiresAt = Date.now() + Number(val) * 1000;
      if (k === 'expires' && expiresAt === undefined) expiresAt = Date.parse(val);
    }
    this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === url.host && c.path === path));
    if (expiresAt !== undefined && expiresAt <= Date.now()) return;
    this.cookies.push({ name, value, host: url.host, path, expiresAt });
  }

  /** One request, no redirect following. */
  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const target = new URL(url);
    const cookie = Object.entries(this.cookiesFor(url))
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...init.headers };
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await fetch(target, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const header of response.headers.getSetCookie()) this.store(target, header);
    const location = response.headers.get('location') ?? undefined;
    return {
      status: response.status,
      url,
      location: location === undefined ? undefined : new URL(location, target).href,
      headers: response.headers,
      body: await response.text(),
    };
  }

  get(url: string): Promise<Page> {
    return this.request(url);
  }

  post(url: string, form: Record<string, string>): Promise<Page> {
    return this.request(url, { method: 'POST', form });
  }

  /**
   * Follows redirects from `url` while they stay on hosts that `follow` accepts; returns the last
   * page, or the redirect that leaves (e.g. to a client's redirect_uri).
   */
  async navigate(url: string, follow: (next: URL) => boolean, limit = 10): Promise<Page> {
    let page = await this.get(url);
    for (let i = 0; i < limit && page.location && page.status >= 300 && page.status < 400; i++) {
      if (!follow(new URL(page.location))) return page;
      page = await this.get(page.location);
    }
    return page;
  }
}

/** The value of a hidden input in an HTML page, or undefined. */
export const hiddenInput = (html: string, name: string): string | undefined => {
  const match =
    new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html) ??
    new RegExp(`<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html);
  return match?.[1]
    ?.replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
};

/** The action of the first form in a page whose action contains `contains`. */
export const formAction = (html: string, contains: string, base: string): string | undefined => {
  for (const match of html.matchAll(/<form[^>]*action="([^"]*)"/g)) {
    const action = match[1]?.replaceAll('&amp;', '&');
    if (action?.includes(contains)) return new URL(action, base).href;
  }
  return undefined;
};
