import {
  badge,
  button,
  card,
  descriptionList,
  html,
  join,
  page,
  pageHeader,
  table,
  type Column,
  type SafeHtml,
} from '@ates/ui';
import type { AsyncApiDocument } from './asyncapi.js';
import type { FieldRow } from './fields.js';
import { catalogView, type CatalogView, type EventView, type ReceiverView, type VersionView } from './view.js';

/** Where every service serves the catalog: the page, and the AsyncAPI document it is read from. */
export const catalogPagePath = '/docs/events';
export const catalogDocumentPath = '/docs/events.json';

const code = (text: string): SafeHtml => html`<span class="code">${text}</span>`;
const none = (text: string): SafeHtml => badge(text, 'danger');
/** The document's prose is CommonMark; of it, the page keeps only `code spans` (the rest is escaped text). */
const prose = (text: string): SafeHtml =>
  join(text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part)));

const fieldColumns: readonly Column<FieldRow>[] = [
  { header: 'Field', cell: (f) => code(f.path) },
  {
    header: 'Type',
    cell: (f) => html`<div>${f.type}</div>${f.rules ? html`<div class="cell-sub">${f.rules}</div>` : ''}`,
  },
  { header: 'Required', cell: (f) => (f.required ? 'yes' : 'no') },
  { header: 'Meaning', cell: (f) => f.description },
];

const fieldsTable = (fields: readonly FieldRow[], caption: string): SafeHtml =>
  table({ columns: fieldColumns, rows: fields, empty: 'No fields.', caption });

const receivedBy = (receivers: readonly ReceiverView[]): SafeHtml =>
  receivers.length > 0
    ? html`<div class="cluster">${receivers.map((r) => html`${code(r.group)}<span class="muted text-sm">${r.service}</span>`)}</div>`
    : none('no consumer group');

const versionCard = (event: EventView, v: VersionView): SafeHtml =>
  html`<div id="${v.id}">${card({
    title: v.title,
    description: v.description,
    actions: html`<div class="cluster">${v.retired ? badge('retired', 'neutral') : badge('current', 'done')}</div>`,
    body: html`<div class="stack">${descriptionList([
      { label: 'Routing key', value: code(event.name) },
      { label: 'Published by', value: v.producer ? code(v.producer) : none('no service') },
      { label: 'Received by', value: receivedBy(v.receivers) },
      ...(v.warnings.length > 0 ? [{ label: 'Missing', value: join(v.warnings, html`<br>`) }] : []),
    ])}${fieldsTable(v.fields, `Data fields of ${v.title}`)}</div>`,
  })}</div>`;

const versionsCell = (event: EventView): SafeHtml =>
  html`<div class="cluster">${event.versions.map(
    (v) => html`<a href="#${v.id}">${code(`v${v.version}`)}</a>${v.retired ? badge('retired', 'neutral') : ''}`,
  )}</div>`;

const producersCell = (event: EventView): SafeHtml => {
  const producers = [...new Set(event.versions.flatMap((v) => (v.producer ? [v.producer] : [])))];
  return producers.length > 0 ? join(producers.map(code), ' ') : none('no service');
};

const receiversCell = (event: EventView): SafeHtml => {
  const groups = new Map<string, number[]>();
  for (const v of event.versions)
    for (const r of v.receivers) groups.set(r.group, [...(groups.get(r.group) ?? []), v.version]);
  if (groups.size === 0) return none('no consumer group');
  return html`<div>${[...groups].map(
    ([group, versions]) =>
      html`<div>${code(group)} <span class="muted text-sm">${versions.map((v) => `v${v}`).join(', ')}</span></div>`,
  )}</div>`;
};

const overviewColumns: readonly Column<EventView>[] = [
  { header: 'Event', cell: (e) => html`<a href="#${e.name}">${e.name}</a>` },
  { header: 'Versions', cell: versionsCell },
  { header: 'Published by', cell: producersCell },
  { header: 'Received by', cell: receiversCell },
];

const serverColumns: readonly Column<CatalogView['servers'][number]>[] = [
  {
    header: 'Transport',
    cell: (s) =>
      html`<div class="cell-title">${s.title}</div><div class="cell-sub">${s.protocol}${s.protocolVersion ? ` ${s.protocolVersion}` : ''}</div>`,
  },
  { header: 'Where', cell: (s) => code(`${s.host}${s.pathname ?? ''}`) },
  { header: 'How', cell: (s) => prose(s.description) },
];

const overview = (view: CatalogView): SafeHtml => html`${card({
  title: 'Events',
  description: 'A retired version is no longer published, but still accepted: retained events of it may be replayed.',
  flush: true,
  body: table({ columns: overviewColumns, rows: view.events, empty: 'No events.', caption: 'Events' }),
})}
${card({
  title: 'Transports',
  description: 'EVENT_TRANSPORT_URL chooses one; every event travels the same way on either.',
  flush: true,
  body: table({ columns: serverColumns, rows: view.servers, empty: 'No transports.', caption: 'Transports' }),
})}
${card({
  title: 'Envelope',
  description: 'Every event carries these fields around its data.',
  flush: true,
  body: fieldsTable(view.envelope, 'Envelope fields'),
})}`;

const eventSection = (event: EventView): SafeHtml =>
  html`<section class="stack" id="${event.name}" aria-label="${event.name}">${event.versions.map((v) => versionCard(event, v))}</section>`;

/**
 * The catalog as a page in the dashboards' look, rendered on the server from the AsyncAPI
 * document: no script of its own, so the dashboards' Content-Security-Policy holds as it is.
 */
export const renderCatalogPage = (document: AsyncApiDocument): string => {
  const view = catalogView(document);
  const versions = view.events.reduce((n, e) => n + e.versions.length, 0);
  const header = pageHeader({
    title: 'Event catalog',
    subtitle: `${view.events.length} events in ${versions} versions between ${view.services.join(', ')} (aTES ${view.version}): who publishes each version, which consumer groups receive it, and its fields.`,
    actions: html`${button({ label: 'AsyncAPI 3.0 document', href: catalogDocumentPath, kind: 'secondary' })}${button({ label: 'HTTP API', href: '/docs', kind: 'ghost' })}`,
  });
  return page({ title: 'Event catalog', body: html`${header}\n${overview(view)}\n${view.events.map(eventSection)}` });
};
