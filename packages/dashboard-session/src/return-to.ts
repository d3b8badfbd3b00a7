/**
 * A path of this dashboard to come back to after sign-in, out of `value` (a query parameter or a
 * form field, i.e. anything at all); anything that is not one becomes `fallback`.
 *
 * Parsed the way a browser will parse the Location header it ends up in — the WHATWG URL parser,
 * against the dashboard's own origin — so that what browsers strip (tabs, CR, LF) or read as a
 * slash (`\`) cannot turn `/\t/evil.example` into `//evil.example`. Only the path and query of a
 * same-origin result are kept, percent-encoded as the parser writes them (never a raw CR or LF).
 */
export const safeReturnTo = (value: unknown, fallback: string, publicUrl: string): string => {
  if (typeof value !== 'string' || value.length > 2000 || !value.startsWith('/')) return fallback;
  const origin = new URL(publicUrl).origin;
  const url = URL.canParse(value, origin) ? new URL(value, origin) : undefined;
  return url?.origin === origin ? `${url.pathname}${url.search}` : fallback;
};
