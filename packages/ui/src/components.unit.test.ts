import { describe, expect, it } from 'vitest';
import {
  amount,
  badge,
  button,
  card,
  confirmAction,
  descriptionList,
  emptyState,
  field,
  form,
  pageHeader,
  pagination,
  stat,
  table,
  tabs,
} from './components.js';
import { html } from './html.js';

const evil = '<script>alert(1)</script>';
const quoteEvil = '"><img src=x onerror=alert(1)>';

/** No raw tag or attribute break-out made it into the markup. */
const expectEscaped = (out: string): void => {
  expect(out).not.toContain('<script>');
  expect(out).not.toContain('<img');
  expect(out).toContain('&lt;script&gt;');
};

describe('escaping in every component that takes text', () => {
  it('pageHeader', () => expectEscaped(pageHeader({ title: evil, subtitle: quoteEvil + evil }).toString()));
  it('card', () => expectEscaped(card({ title: evil, description: quoteEvil, body: html`${evil}` }).toString()));
  it('stat', () => expectEscaped(stat({ label: evil, value: quoteEvil, hint: evil, tone: 'positive' }).toString()));
  it('badge', () => expectEscaped(badge(evil + quoteEvil, 'danger').toString()));
  it('button (label, value, attrs, href)', () => {
    expectEscaped(button({ label: evil, name: 'n', value: quoteEvil, attrs: { title: quoteEvil } }).toString());
    expectEscaped(button({ label: evil, href: quoteEvil }).toString());
  });
  it('table (headers, cells, empty text)', () => {
    const out = table<{ t: string }>({
      columns: [
        { header: evil, cell: (r) => r.t },
        { header: quoteEvil, cell: (r) => html`<b>${r.t}</b>`, align: 'right' },
      ],
      rows: [{ t: evil }],
      empty: 'x',
    }).toString();
    expectEscaped(out);
    expect(out).toContain('<b>&lt;script&gt;');
    expectEscaped(table({ columns: [{ header: 'A', cell: () => '' }], rows: [], empty: evil }).toString());
  });
  it('field (label, value, hint, error, placeholder, options) for every type', () => {
    for (const type of ['text', 'email', 'password', 'textarea', 'select'] as const) {
      const out = field({
        label: evil,
        name: 'title',
        type,
        value: quoteEvil + evil,
        hint: evil,
        error: evil,
        placeholder: quoteEvil,
        options: [{ value: quoteEvil, label: evil }],
      }).toString();
      expectEscaped(out);
    }
    expect(
      field({ label: 'D', name: 'd', type: 'textarea', value: '</textarea><script>x</script>' }).toString(),
    ).toContain('&lt;/textarea&gt;');
  });
  it('confirmAction (label, title, message, action, fields)', () =>
    expectEscaped(
      confirmAction({
        action: quoteEvil,
        label: evil,
        title: evil,
        message: evil,
        confirmLabel: evil,
        csrf: quoteEvil,
        fields: { id: quoteEvil },
      }).toString(),
    ));
  it('emptyState', () => expectEscaped(emptyState({ title: evil, message: quoteEvil + evil }).toString()));
  it('pagination hrefs', () =>
    expect(pagination({ page: 1, pageSize: 10, total: 30, href: () => quoteEvil }).toString()).not.toContain('<img'));
  it('tabs and descriptionList', () => {
    expectEscaped(tabs({ label: quoteEvil, items: [{ label: evil, href: quoteEvil }] }).toString());
    expectEscaped(descriptionList([{ label: evil, value: quoteEvil }]).toString());
  });
  it('form attrs', () =>
    expect(form({ action: quoteEvil, body: html``, attrs: { 'data-x': quoteEvil } }).toString()).not.toContain('<img'));
});

describe('table', () => {
  const columns = [
    { header: 'Title', cell: (r: { title: string; price: number }) => r.title },
    { header: 'Price', cell: (r: { title: string; price: number }) => amount(r.price), align: 'right' as const },
  ];
  it('renders rows with right-aligned numeric columns and labels for small screens', () => {
    const out = table({ columns, rows: [{ title: 'A', price: -5 }], empty: 'None' }).toString();
    expect(out).toContain('<th scope="col" class="num">Price</th>');
    expect(out).toContain(
      '<td class="num" data-label="Price"><span class="amount amount--negative">\u2212$5</span></td>',
    );
  });
  it('shows the empty state across all columns', () => {
    const out = table({ columns, rows: [], empty: 'No tasks yet.' }).toString();
    expect(out).toContain('colspan="2"');
    expect(out).toContain('No tasks yet.');
    expect(out).not.toContain('<thead>');
  });
  it('accepts an emptyState as the empty content', () => {
    expect(table({ columns, rows: [], empty: emptyState({ title: 'Nothing', message: 'Yet' }) }).toString()).toContain(
      'class="empty"',
    );
  });
});

describe('field', () => {
  it('ties the hint and error to the control', () => {
    const out = field({
      label: 'Title',
      name: 'title',
      value: 'x',
      required: true,
      maxLength: 200,
      hint: 'No brackets',
      error: 'Too long',
    }).toString();
    expect(out).toContain('<label class="field__label" for="f-title">Title</label>');
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('aria-describedby="f-title-hint f-title-error"');
    expect(out).toContain('id="f-title-error"');
    expect(out).toMatch(/<input type="text" id="f-title" name="title" class="control" required maxlength="200"/);
  });
  it('is not invalid without an error', () => {
    expect(field({ label: 'Title', name: 'title' }).toString()).not.toContain('aria-invalid');
  });
  it('selects the chosen option', () => {
    const out = field({
      label: 'Who',
      name: 'who',
      type: 'select',
      value: 'b',
      options: [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
      ],
    }).toString();
    expect(out).toContain('<option value="b" selected>B</option>');
    expect(out).toContain('<option value="a">A</option>');
  });
});

describe('form and button', () => {
  it('posts by default with the CSRF field, never on GET', () => {
    expect(form({ action: '/tasks', csrf: 'tok', body: html`` }).toString()).toContain(
      'method="post" action="/tasks"><input type="hidden" name="_csrf" value="tok">',
    );
    expect(form({ action: '/search', method: 'get', csrf: 'tok', body: html`` }).toString()).not.toContain('_csrf');
  });
  it('buttons submit by default and can be links', () => {
    expect(button({ label: 'Go' }).toString()).toContain('class="btn btn--primary" type="submit"');
    expect(button({ label: 'Go', kind: 'danger', type: 'button', name: 'a', value: 'b' }).toString()).toContain(
      'class="btn btn--danger" type="button" name="a" value="b"',
    );
    expect(button({ label: 'Go', href: '/x', kind: 'secondary' }).toString()).toMatch(
      /^<a class="btn btn--secondary" href="\/x">/,
    );
  });
  it('refuses inline event handlers', () => {
    expect(() => button({ label: 'x', attrs: { onclick: 'alert(1)' } })).toThrow(/Inline event handler/);
  });
});

describe('confirmAction', () => {
  const out = confirmAction({
    action: '/tasks/reassign',
    label: 'Reassign',
    title: 'Reassign all?',
    message: 'Sure?',
    confirmLabel: 'Reassign all',
    csrf: 'tok',
    danger: true,
  }).toString();
  it('opens an in-page dialog without inline script', () => {
    const id = /<dialog class="dialog" id="([^"]+)"/.exec(out)?.[1];
    expect(id).toBeDefined();
    expect(out).toContain(`commandfor="${id}" command="show-modal"`);
    expect(out).not.toMatch(/\son\w+=/);
    expect(out).not.toContain('<script');
  });
  it('confirms with a POST carrying the CSRF token; cancel does not submit', () => {
    expect(out).toContain(
      '<form class="dialog__form" method="post" action="/tasks/reassign"><input type="hidden" name="_csrf" value="tok">',
    );
    expect(out).toContain('formmethod="dialog"');
    expect(out).toContain('btn btn--danger" type="submit"><span>Reassign all</span>');
  });
  it('gives different actions different dialog ids', () => {
    const a = confirmAction({ action: '/a', label: 'x', title: 't', message: 'm', confirmLabel: 'c' }).toString();
    const b = confirmAction({ action: '/b', label: 'x', title: 't', message: 'm', confirmLabel: 'c' }).toString();
    expect(/id="([^"]+)"/.exec(a)?.[1]).not.toBe(/id="([^"]+)"/.exec(b)?.[1]);
  });
});

describe('pagination', () => {
  const href = (p: number): string => `?page=${p}`;
  it('summarises and links neighbours, first and last', () => {
    const out = pagination({ page: 5, pageSize: 20, total: 1000, href }).toString();
    expect(out).toContain('Showing <strong>81–100</strong> of <strong>1,000</strong>');
    expect(out).toContain('href="?page=4" rel="prev"');
    expect(out).toContain('href="?page=6" rel="next"');
    expect(out).toContain('aria-current="page"');
    expect(out).toContain('aria-label="Page 50"');
    expect(out).toContain('…');
  });
  it('disables previous on the first page and clamps out-of-range pages', () => {
    expect(pagination({ page: 1, pageSize: 10, total: 25, href }).toString()).toContain('page-link--disabled');
    expect(pagination({ page: 99, pageSize: 10, total: 25, href }).toString()).toContain(
      'Showing <strong>21–25</strong>',
    );
  });
  it('shows only the summary on one page and nothing for no rows', () => {
    expect(pagination({ page: 1, pageSize: 10, total: 3, href }).toString()).not.toContain('<ul');
    expect(pagination({ page: 1, pageSize: 10, total: 0, href }).toString()).toBe('');
  });
});

describe('stat and badge', () => {
  it('tones', () => {
    expect(stat({ label: 'Earned', value: '$5', tone: 'negative' }).toString()).toContain('stat stat--negative');
    expect(badge('done', 'done').toString()).toBe('<span class="badge badge--done">done</span>');
    expect(badge('x').toString()).toContain('badge--neutral');
  });
});
