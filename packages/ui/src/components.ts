import { attributes, classes, html, isSafeHtml, raw } from './html.js';
import type { SafeHtml } from './html.js';
import { icon } from './icons.js';
import type { IconName } from './icons.js';
import { money } from './format.js';

type Attrs = Readonly<Record<string, string>>;

/** The page's title row: `<h1>`, an optional line under it, and actions on the right. */
export const pageHeader = (o: { title: string; subtitle?: string; actions?: SafeHtml }): SafeHtml => html`
<div class="page-header">
  <div class="page-header__text">
    <h1 class="page-header__title">${o.title}</h1>
    ${o.subtitle ? html`<p class="page-header__subtitle">${o.subtitle}</p>` : ''}
  </div>
  ${o.actions ? html`<div class="page-header__actions">${o.actions}</div>` : ''}
</div>`;

/**
 * A surface with an optional header (title, description, actions), a body and a footer.
 * `flush` drops the body padding so a table sits edge to edge.
 */
export const card = (o: {
  title?: string;
  description?: string;
  actions?: SafeHtml;
  body: SafeHtml;
  footer?: SafeHtml;
  flush?: boolean;
}): SafeHtml => html`
<section class="${classes('card', o.flush && 'card--flush')}">
  ${
    o.title || o.actions
      ? html`<header class="card__header">
    <div>${o.title ? html`<h2 class="card__title">${o.title}</h2>` : ''}${o.description ? html`<p class="card__description">${o.description}</p>` : ''}</div>
    ${o.actions ? html`<div class="card__actions">${o.actions}</div>` : ''}
  </header>`
      : ''
  }
  <div class="card__body">${o.body}</div>
  ${o.footer ? html`<footer class="card__footer">${o.footer}</footer>` : ''}
</section>`;

/** A figure (accounting, analytics): label, big value, hint. `tone` colours the value. */
export const stat = (o: {
  label: string;
  value: string;
  hint?: string;
  tone?: 'positive' | 'negative' | 'neutral';
}): SafeHtml => html`
<div class="${classes('stat', o.tone && `stat--${o.tone}`)}">
  <p class="stat__label">${o.label}</p>
  <p class="stat__value">${o.value}</p>
  ${o.hint ? html`<p class="stat__hint">${o.tone === 'positive' ? icon('trendUp') : o.tone === 'negative' ? icon('trendDown') : ''}${o.hint}</p>` : ''}
</div>`;

/** A responsive row of `stat`s. */
export const statGroup = (stats: readonly SafeHtml[]): SafeHtml => html`<div class="stats">${stats}</div>`;

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => SafeHtml | string;
  readonly align?: 'left' | 'right';
}

/**
 * A data table with an empty state. Right-aligned columns use tabular numbers (money, counts).
 * Under 640 px each row becomes a stacked block labelled by the column headers.
 */
export const table = <T>(o: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  empty: string | SafeHtml;
  caption?: string;
}): SafeHtml => {
  const align = (c: Column<T>): string | false => c.align === 'right' && 'num';
  return html`
<div class="table-wrap">
  <table class="table">
    ${o.caption ? html`<caption class="sr-only">${o.caption}</caption>` : ''}
    ${o.rows.length === 0 ? '' : html`<thead><tr>${o.columns.map((c) => html`<th scope="col"${attributes({ class: align(c) || undefined })}>${c.header}</th>`)}</tr></thead>`}
    <tbody>${
      o.rows.length === 0
        ? html`<tr class="table__empty-row"><td colspan="${o.columns.length}">${isSafeHtml(o.empty) ? o.empty : html`<div class="table__empty">${icon('inbox')}<span>${o.empty}</span></div>`}</td></tr>`
        : o.rows.map(
            (row) =>
              html`<tr>${o.columns.map((c) => html`<td${attributes({ class: align(c) || undefined, 'data-label': c.header || undefined })}>${c.cell(row)}</td>`)}</tr>`,
          )
    }</tbody>
  </table>
</div>`;
};

export type BadgeTone = 'open' | 'done' | 'neutral' | 'danger' | 'info';

/** A status pill: `badge('open', 'open')`, `badge('done', 'done')`. */
export const badge = (text: string, tone: BadgeTone = 'neutral'): SafeHtml =>
  html`<span class="badge badge--${tone}">${text}</span>`;

export type ButtonKind = 'primary' | 'secondary' | 'danger' | 'ghost';

/**
 * A button; with `href` it is a link styled as one. `size: 'sm'` for buttons inside table rows.
 */
export const button = (o: {
  label: string;
  kind?: ButtonKind;
  type?: 'submit' | 'button';
  name?: string;
  value?: string;
  attrs?: Attrs;
  href?: string;
  size?: 'sm' | 'md';
  icon?: IconName;
  block?: boolean;
}): SafeHtml => {
  const cls = classes('btn', `btn--${o.kind ?? 'primary'}`, o.size === 'sm' && 'btn--sm', o.block && 'btn--block');
  const content = html`${o.icon ? icon(o.icon) : ''}<span>${o.label}</span>`;
  if (o.href !== undefined) return html`<a class="${cls}" href="${o.href}"${attributes(o.attrs)}>${content}</a>`;
  return html`<button class="${cls}"${attributes({ type: o.type ?? 'submit', name: o.name, value: o.value, ...o.attrs })}>${content}</button>`;
};

const hidden = (name: string, value: string): SafeHtml => html`<input type="hidden" name="${name}" value="${value}">`;

/** A form: POST by default, with the hidden `_csrf` field when `csrf` is given (never on GET). */
export const form = (o: {
  action: string;
  method?: 'post' | 'get';
  body: SafeHtml;
  attrs?: Attrs;
  csrf?: string;
}): SafeHtml => {
  const method = o.method ?? 'post';
  return html`<form class="form" method="${method}" action="${o.action}"${attributes(o.attrs)}>${method === 'post' && o.csrf !== undefined ? hidden('_csrf', o.csrf) : ''}${o.body}</form>`;
};

/** Hidden inputs from a record. */
export const hiddenFields = (fields: Readonly<Record<string, string>> | undefined): SafeHtml =>
  html`${Object.entries(fields ?? {}).map(([name, value]) => hidden(name, value))}`;

const idFrom = (name: string): string => `f-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/**
 * A labelled control with its hint and inline error. The error sets `aria-invalid` and is tied to
 * the control with `aria-describedby`, so screen readers announce it with the field.
 */
export const field = (o: {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password' | 'textarea' | 'select' | 'number' | 'search' | 'url';
  value?: string;
  options?: readonly { value: string; label: string }[];
  required?: boolean;
  maxLength?: number;
  hint?: string;
  error?: string;
  placeholder?: string;
  id?: string;
  autocomplete?: string;
  rows?: number;
  attrs?: Attrs;
}): SafeHtml => {
  const id = o.id ?? idFrom(o.name);
  const hintId = o.hint ? `${id}-hint` : undefined;
  const errorId = o.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const type = o.type ?? 'text';
  const common = attributes({
    id,
    name: o.name,
    class: classes('control', type === 'select' && 'control--select', type === 'textarea' && 'control--textarea'),
    required: o.required === true,
    maxlength: o.maxLength !== undefined && type !== 'select' ? String(o.maxLength) : undefined,
    placeholder: type !== 'select' ? o.placeholder : undefined,
    autocomplete: o.autocomplete,
    'aria-invalid': o.error ? 'true' : undefined,
    'aria-describedby': describedBy,
    ...o.attrs,
  });
  const control =
    type === 'textarea'
      ? html`<textarea${common} rows="${o.rows ?? 4}">${o.value ?? ''}</textarea>`
      : type === 'select'
        ? html`<select${common}>${o.placeholder !== undefined ? html`<option value=""${o.value ? '' : raw(' selected')}>${o.placeholder}</option>` : ''}${(
            o.options ?? []
          ).map(
            (opt) =>
              html`<option value="${opt.value}"${opt.value === o.value ? raw(' selected') : ''}>${opt.label}</option>`,
          )}</select>`
        : html`<input type="${type}"${common}${o.value !== undefined ? html` value="${o.value}"` : ''}>`;
  return html`
<div class="${classes('field', o.error && 'field--invalid')}">
  <label class="field__label" for="${id}">${o.label}</label>
  ${control}
  ${o.hint ? html`<p class="field__hint" id="${hintId}">${o.hint}</p>` : ''}
  ${o.error ? html`<p class="field__error" id="${errorId}">${icon('error')}<span>${o.error}</span></p>` : ''}
</div>`;
};

const hash = (text: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
};

/**
 * A button that opens a confirmation dialog in the page; confirming POSTs to `action`.
 * It needs no script in current browsers (`<button commandfor command="show-modal">`, the
 * Invoker Commands API); `/assets/ui.js` adds the same behaviour to browsers without it. Cancel
 * (or Escape, or a click outside) closes the dialog without a request.
 */
export const confirmAction = (o: {
  action: string;
  label: string;
  title: string;
  message: string | SafeHtml;
  confirmLabel: string;
  csrf?: string;
  danger?: boolean;
  id?: string;
  fields?: Readonly<Record<string, string>>;
  kind?: ButtonKind;
  size?: 'sm' | 'md';
  icon?: IconName;
}): SafeHtml => {
  const id = o.id ?? `confirm-${hash(`${o.action}\n${o.label}\n${o.title}`)}`;
  return html`<span class="confirm">${button({
    label: o.label,
    kind: o.kind ?? (o.danger ? 'danger' : 'secondary'),
    type: 'button',
    size: o.size,
    icon: o.icon,
    attrs: { commandfor: id, command: 'show-modal', 'aria-haspopup': 'dialog' },
  })}<dialog class="dialog" id="${id}" aria-labelledby="${id}-title" aria-describedby="${id}-message" closedby="any">
  <form class="dialog__form" method="post" action="${o.action}">${o.csrf !== undefined ? hidden('_csrf', o.csrf) : ''}${hiddenFields(o.fields)}
    <div class="dialog__body">
      <div class="${classes('dialog__icon', o.danger && 'dialog__icon--danger')}">${icon(o.danger ? 'warning' : 'info')}</div>
      <div class="dialog__text">
        <h2 class="dialog__title" id="${id}-title">${o.title}</h2>
        <p class="dialog__message" id="${id}-message">${o.message}</p>
      </div>
    </div>
    <div class="dialog__actions">
      ${button({ label: 'Cancel', kind: 'secondary', attrs: { formmethod: 'dialog', formnovalidate: '', autofocus: '' } })}
      ${button({ label: o.confirmLabel, kind: o.danger ? 'danger' : 'primary' })}
    </div>
  </form>
</dialog></span>`;
};

const count = new Intl.NumberFormat('en-US');

/** "Showing 21–40 of 134" with previous/next and a window of page numbers. Renders nothing when there is nothing. */
export const pagination = (o: {
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
}): SafeHtml => {
  if (o.total <= 0 || o.pageSize <= 0) return raw('');
  const pages = Math.max(1, Math.ceil(o.total / o.pageSize));
  const current = Math.min(Math.max(1, Math.trunc(o.page) || 1), pages);
  const first = (current - 1) * o.pageSize + 1;
  const last = Math.min(current * o.pageSize, o.total);
  const shown = new Set([1, pages, current - 1, current, current + 1].filter((p) => p >= 1 && p <= pages));
  if (current <= 3) [2, 3].forEach((p) => p <= pages && shown.add(p));
  if (current >= pages - 2) [pages - 1, pages - 2].forEach((p) => p >= 1 && shown.add(p));
  const ordered = [...shown].sort((a, b) => a - b);
  const items: SafeHtml[] = [];
  ordered.forEach((p, i) => {
    if (i > 0 && p - (ordered[i - 1] ?? p) > 1) items.push(html`<li class="pagination__gap" aria-hidden="true">…</li>`);
    items.push(
      p === current
        ? html`<li><a class="page-link" href="${o.href(p)}" aria-current="page" aria-label="Page ${p}, current">${count.format(p)}</a></li>`
        : html`<li class="pagination__number"><a class="page-link" href="${o.href(p)}" aria-label="Page ${p}">${count.format(p)}</a></li>`,
    );
  });
  const step = (to: number, rel: 'prev' | 'next', label: string, glyph: SafeHtml): SafeHtml =>
    to >= 1 && to <= pages
      ? html`<li><a class="page-link page-link--step" href="${o.href(to)}" rel="${rel}">${rel === 'prev' ? glyph : ''}<span>${label}</span>${rel === 'next' ? glyph : ''}</a></li>`
      : html`<li><span class="page-link page-link--step page-link--disabled" aria-disabled="true">${rel === 'prev' ? glyph : ''}<span>${label}</span>${rel === 'next' ? glyph : ''}</span></li>`;
  return html`
<nav class="pagination" aria-label="Pagination">
  <p class="pagination__summary">Showing <strong>${count.format(first)}–${count.format(last)}</strong> of <strong>${count.format(o.total)}</strong></p>
  ${
    pages > 1
      ? html`<ul class="pagination__pages">${step(current - 1, 'prev', 'Previous', icon('chevronLeft'))}${items}${step(current + 1, 'next', 'Next', icon('chevronRight'))}</ul>`
      : ''
  }
</nav>`;
};

/** What a list shows when it has nothing in it: what is missing, why, and what to do. */
export const emptyState = (o: { title: string; message: string; action?: SafeHtml; icon?: IconName }): SafeHtml => html`
<div class="empty">
  <div class="empty__icon">${icon(o.icon ?? 'inbox')}</div>
  <h3 class="empty__title">${o.title}</h3>
  <p class="empty__message">${o.message}</p>
  ${o.action ? html`<div class="empty__action">${o.action}</div>` : ''}
</div>`;

/** Filter tabs (links), e.g. Open · Done · All, with optional counts. */
export const tabs = (o: {
  label: string;
  items: readonly { label: string; href: string; current?: boolean; count?: number }[];
}): SafeHtml => html`
<nav class="tabs" aria-label="${o.label}"><ul>${o.items.map(
  (t) =>
    html`<li><a class="tab" href="${t.href}"${t.current ? raw(' aria-current="page"') : ''}>${t.label}${t.count !== undefined ? html`<span class="tab__count">${count.format(t.count)}</span>` : ''}</a></li>`,
)}</ul></nav>`;

/** Two columns (content and a narrower aside) that stack on small screens. */
export const split = (o: { main: SafeHtml; aside: SafeHtml }): SafeHtml =>
  html`<div class="split"><div class="split__main">${o.main}</div><aside class="split__aside">${o.aside}</aside></div>`;

/** Label/value pairs (a task's details, an account's summary). */
export const descriptionList = (items: readonly { label: string; value: SafeHtml | string }[]): SafeHtml =>
  html`<dl class="dl">${items.map((i) => html`<div class="dl__row"><dt>${i.label}</dt><dd>${i.value}</dd></div>`)}</dl>`;

/** An amount in a table or a log: `money` text, tabular, red when negative (`signed` adds `+` to credits). */
export const amount = (value: number, o: { signed?: boolean } = {}): SafeHtml => {
  const text = money(value);
  const negative = Number.isFinite(value) && Math.round(value * 100) < 0;
  const positive = Number.isFinite(value) && Math.round(value * 100) > 0;
  return html`<span class="${classes('amount', negative && 'amount--negative', o.signed && positive && 'amount--positive')}">${o.signed && positive ? '+' : ''}${text}</span>`;
};

/** A `<time>` element showing `text`, machine-readable `datetime`. */
export const time = (iso: string, text: string): SafeHtml => html`<time datetime="${iso}">${text}</time>`;
