/**
 * Safe HTML by construction: `html` escapes every interpolated value unless it is already
 * `SafeHtml`, so user text can never become markup. `raw` is the one explicit way out.
 */

const brand: unique symbol = Symbol.for('@ates/ui.SafeHtml');

export interface SafeHtml {
  readonly __html: string;
  toString(): string;
}

class Trusted implements SafeHtml {
  readonly [brand] = true;
  constructor(readonly __html: string) {}
  toString(): string {
    return this.__html;
  }
}

/** True for values made by `html` or `raw` (any copy of this module: the brand is a global symbol). */
export const isSafeHtml = (value: unknown): value is SafeHtml =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for both element content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c] ?? c);

const render = (value: unknown): string => {
  if (value === null || value === undefined || value === false) return '';
  if (isSafeHtml(value)) return value.__html;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
};

/** Tagged template: `html\`<p>${userText}</p>\`` escapes `userText`; arrays are joined; null, undefined and false render nothing. */
export const html = (strings: TemplateStringsArray, ...values: unknown[]): SafeHtml => {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Trusted(out);
};

/** Marks a string as trusted markup. Only for markup the code itself wrote, never for user input. */
export const raw = (trusted: string): SafeHtml => new Trusted(trusted);

/** Joins fragments (escaping plain strings) with an optional separator. */
export const join = (parts: readonly unknown[], separator: SafeHtml | string = ''): SafeHtml =>
  new Trusted(parts.map(render).join(render(separator)));

const attributeName = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/;

/**
 * Renders extra attributes (` name="value"`, values escaped). Names are checked, and inline event
 * handlers (`on…`) are refused: the dashboards run under a Content-Security-Policy without
 * inline scripts, so a handler would silently do nothing.
 */
export const attributes = (
  attrs: Readonly<Record<string, string | boolean | number | undefined>> | undefined,
): SafeHtml => {
  if (!attrs) return raw('');
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (!attributeName.test(name)) throw new TypeError(`Invalid HTML attribute name: ${JSON.stringify(name)}`);
    if (/^on/i.test(name))
      throw new TypeError(`Inline event handler "${name}" is not allowed (the dashboards forbid inline scripts)`);
    if (value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return raw(out);
};

/** A class list from conditional parts: `classes('btn', primary && 'btn--primary')`. */
export const classes = (...parts: readonly (string | false | null | undefined)[]): string =>
  parts.filter(Boolean).join(' ');
