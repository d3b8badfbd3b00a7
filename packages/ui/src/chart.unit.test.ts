import { describe, expect, it } from 'vitest';
import { chart } from './chart.js';
import { html } from './html.js';
import { page } from './layout.js';
import { chartScriptHrefs } from './assets.js';

const earnings = chart({
  title: 'Management earnings per day',
  labels: ['2026-03-01', '2026-03-02'],
  unit: 'cents',
  series: [{ label: 'Earnings', values: [2300, -1200], tone: 'signed' }],
});

describe('chart', () => {
  it('embeds its data as JSON that no value can break out of, and labels the canvas for screen readers', () => {
    const html = String(
      chart({
        title: 'Fees',
        labels: ['</script><script>alert(1)</script>'],
        unit: 'count',
        series: [{ label: 'x', values: [1] }],
      }),
    );
    expect(html).not.toContain('</script><script>');
    expect(html).toContain('\\u003c/script>');
    expect(html).toContain('role="img" aria-label="Fees"');
    const json =
      /<script type="application\/json" class="chart__data">(.*)<\/script>/s.exec(String(earnings))?.[1] ?? '';
    expect(JSON.parse(json)).toEqual({
      labels: ['2026-03-01', '2026-03-02'],
      unit: 'cents',
      series: [{ label: 'Earnings', values: [2300, -1200], tone: 'signed' }],
    });
  });

  it('makes the page load Chart.js and the drawing script, and only pages that show one', () => {
    const withChart = page({ title: 'Analytics', current: 'analytics', body: earnings });
    const without = page({ title: 'Tasks', current: 'tracker', body: html`<p>No chart here.</p>` });
    for (const href of chartScriptHrefs()) expect(withChart).toContain(`<script src="${href}" defer></script>`);
    expect(chartScriptHrefs()[0]).toMatch(/^\/assets\/chart\.umd\.js\?v=[0-9a-f]{12}$/);
    expect(without).not.toContain('chart.umd.js');
  });
});
