import { describe, expect, it } from 'vitest';
import { attributes, classes, escapeHtml, html, isSafeHtml, join, raw } from './html.js';

describe('html', () => {
  it('escapes every interpolated value', () => {
    const evil = `<script>alert("x")</script>&'`;
    expect(html`<p>${evil}</p>`.toString()).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>');
  });

  it('escapes quotes so a value cannot leave an attribute', () => {
    const out = html`<a title="${'" onmouseover="alert(1)'}">x</a>`.toString();
    expect(out).toBe('<a title="&quot; onmouseover=&quot;alert(1)">x</a>');
  });

  it('keeps SafeHtml, joins arrays and renders nothing for null, undefined and false', () => {
    const items = ['<a>', html`<b>bold</b>`];
    expect(html`${items}|${null}|${undefined}|${false}|${0}|${raw('<hr>')}`.toString()).toBe(
      '&lt;a&gt;<b>bold</b>||||0|<hr>',
    );
    expect(html`${[['<nested>']]}`.__html).toBe('&lt;nested&gt;');
  });

  it('does not trust look-alike objects', () => {
    const forged = { __html: '<script>alert(1)</script>', toString: () => '<script>alert(1)</script>' };
    expect(isSafeHtml(forged)).toBe(false);
    expect(html`${forged}`.toString()).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('join escapes strings and the separator', () => {
    expect(join(['<a>', html`<b></b>`], ' & ').toString()).toBe('&lt;a&gt; &amp; <b></b>');
  });

  it('attributes escape values, skip false/undefined and refuse bad names and inline handlers', () => {
    expect(attributes({ title: '"><script>', hidden: true, disabled: false, x: undefined }).toString()).toBe(
      ' title="&quot;&gt;&lt;script&gt;" hidden',
    );
    expect(() => attributes({ 'a"b': 'x' })).toThrow(/Invalid HTML attribute name/);
    expect(() => attributes({ 'x onclick': 'x' })).toThrow(/Invalid HTML attribute name/);
    expect(() => attributes({ onclick: 'alert(1)' })).toThrow(/Inline event handler/);
    expect(() => attributes({ OnLoad: 'alert(1)' })).toThrow(/Inline event handler/);
  });

  it('escapeHtml and classes', () => {
    expect(escapeHtml('a&b')).toBe('a&amp;b');
    expect(classes('btn', false, undefined, 'btn--sm')).toBe('btn btn--sm');
  });
});
