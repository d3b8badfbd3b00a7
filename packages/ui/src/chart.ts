import { html, raw, type SafeHtml } from './html.js';

/**
 * One series of a chart. `tone` picks its colour from the theme: `signed` colours each bar by its
 * sign (earnings: green above zero, red below).
 */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly kind?: 'bar' | 'line';
  readonly tone?: 'accent' | 'positive' | 'negative' | 'neutral' | 'signed';
}

export interface ChartOptions {
  /** What the chart shows, for people and for screen readers (the canvas is an image to them). */
  readonly title: string;
  /** One label per point: days, usually. */
  readonly labels: readonly string[];
  readonly series: readonly ChartSeries[];
  /** `cents` prints values as dollars ($12.50); `count` as whole numbers. */
  readonly unit: 'cents' | 'count';
  /** CSS pixels; the chart is as wide as its container. Default 260. */
  readonly height?: number;
}

/** JSON inside a <script> element: `<` is escaped so that no value can close the element. */
const embeddedJson = (value: unknown): SafeHtml => raw(JSON.stringify(value).replaceAll('<', '\\u003c'));

/**
 * A bar or line chart, drawn by Chart.js in the browser from data embedded in the page (no inline
 * script: the data is a `application/json` script element, which browsers never run). Pages that
 * show one pass `charts: true` to `page()`, which loads Chart.js and `/assets/charts.js` from the
 * service. Show the same figures in a table too: the chart is for trends, the table for reading.
 */
export const chart = (o: ChartOptions): SafeHtml => html`<figure class="chart" data-chart>
  <div class="chart__canvas" data-height="${String(o.height ?? 260)}"><canvas role="img" aria-label="${o.title}"></canvas></div>
  <figcaption class="sr-only">${o.title}</figcaption>
  <script type="application/json" class="chart__data">${embeddedJson({ labels: o.labels, series: o.series, unit: o.unit })}</script>
</figure>`;
