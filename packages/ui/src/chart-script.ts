/**
 * `/assets/charts.js`: draws every `figure[data-chart]` of the page with Chart.js (loaded just
 * before it), in the theme's colours, light or dark, with money on the axis as dollars.
 */
export const chartsJs = `// aTES charts: renders figure[data-chart] with Chart.js.
/* global document, window, getComputedStyle, Intl */
(() => {
  'use strict';
  const Chart = window.Chart;
  if (!Chart) return;
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const tones = () => ({
    accent: css('--blue-text'),
    positive: css('--green-text'),
    negative: css('--danger'),
    neutral: css('--gray-text'),
  });
  const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  const whole = new Intl.NumberFormat('en-US');
  const format = (unit, value) => (unit === 'cents' ? dollars.format(value / 100) : whole.format(value));
  const colour = (series, palette) =>
    series.tone === 'signed'
      ? series.values.map((v) => ((v || 0) < 0 ? palette.negative : palette.positive))
      : palette[series.tone || 'accent'];
  const draw = (figure) => {
    const data = JSON.parse(figure.querySelector('script.chart__data').textContent || '{}');
    const box = figure.querySelector('.chart__canvas');
    box.style.height = (Number(box.dataset.height) || 260) + 'px';
    const palette = tones();
    const grid = css('--border');
    const text = css('--text-muted');
    return new Chart(figure.querySelector('canvas'), {
      data: {
        labels: data.labels,
        datasets: data.series.map((s) => ({
          type: s.kind || 'bar',
          label: s.label,
          data: s.values,
          backgroundColor: colour(s, palette),
          borderColor: colour(s, palette),
          borderWidth: s.kind === 'line' ? 2 : 0,
          borderRadius: s.kind === 'line' ? 0 : 3,
          pointRadius: s.kind === 'line' ? 2 : 0,
          tension: 0.25,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: {
            display: data.series.length > 1,
            labels: {
              color: text,
              boxWidth: 12,
              // A signed series' legend shows its positive colour, not its first bar's.
              generateLabels: (c) =>
                Chart.defaults.plugins.legend.labels.generateLabels(c).map((l, i) =>
                  data.series[i] && data.series[i].tone === 'signed' ? { ...l, fillStyle: palette.positive, strokeStyle: palette.positive } : l,
                ),
            },
          },
          tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + format(data.unit, c.parsed.y) } },
        },
        scales: {
          x: { grid: { display: false }, ticks: { color: text, maxRotation: 0, autoSkipPadding: 12 } },
          y: { grid: { color: grid }, border: { display: false }, ticks: { color: text, callback: (v) => format(data.unit, v) } },
        },
      },
    });
  };
  const charts = [...document.querySelectorAll('figure[data-chart]')].map(draw);
  // Follow the system's light/dark switch without a reload.
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    for (const c of charts) c.destroy();
    charts.splice(0, charts.length, ...[...document.querySelectorAll('figure[data-chart]')].map(draw));
  });
})();
`;
