/**
 * The aTES stylesheet, served at `/assets/ui.css` by `registerUiAssets`. One accent (parrot
 * green) on a neutral palette, an 8 px spacing scale (4 px half-steps), a 14 px base on the system
 * font stack, light and dark schemes. No inline styles anywhere, so `style-src 'self'` suffices.
 */
export const uiCss =
  String.raw`
:root {
  --font: ui-sans-serif, -apple-system, BlinkMacSystemFont, "Segoe UI", "Inter", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  --s1: 4px; --s2: 8px; --s3: 12px; --s4: 16px; --s5: 24px; --s6: 32px; --s7: 48px; --s8: 64px;
  --radius-sm: 6px; --radius: 8px; --radius-lg: 12px; --radius-xl: 16px;
  --bg: #f6f7f6;
  --surface: #ffffff;
  --surface-subtle: #fafbfa;
  --surface-hover: #f2f4f2;
  --surface-sunken: #eef1ee;
  --border: #e3e7e3;
  --border-strong: #d0d6d1;
  --border-hover: #b5bdb7;
  --text: #161a17;
  --text-muted: #5b645e;
  --text-subtle: #7c857f;
  --text-placeholder: #8b938d;
  --accent: #15803d;
  --accent-hover: #116a32;
  --accent-active: #0e5a2a;
  --on-accent: #ffffff;
  --accent-text: #13703a;
  --accent-soft: #e8f6ed;
  --accent-soft-border: #bfe3cc;
  --accent-glow: rgb(34 197 94 / 0.16);
  --focus: #16a34a;
  --focus-ring: rgb(22 163 74 / 0.28);
  --danger: #c8322b;
  --danger-hover: #a92822;
  --danger-text: #b42318;
  --danger-soft: #fef0ef;
  --danger-border: #f8cdc9;
  --danger-ring: rgb(200 50 43 / 0.22);
  --blue-text: #1d56c4;
  --blue-soft: #edf3fe;
  --blue-border: #c7d8fb;
  --violet-text: #6b35c9;
  --violet-soft: #f4effe;
  --violet-border: #dccdfa;
  --amber-text: #94590a;
  --amber-soft: #fdf5e4;
  --amber-border: #f2dbab;
  --green-text: #13703a;
  --green-soft: #e8f6ed;
  --green-border: #bfe3cc;
  --gray-text: #4d5650;
  --gray-soft: #f1f3f1;
  --gray-border: #dde2de;
  --shadow-sm: 0 1px 2px rgb(16 24 20 / 0.05);
  --shadow: 0 1px 3px rgb(16 24 20 / 0.06), 0 1px 2px rgb(16 24 20 / 0.04);
  --shadow-lg: 0 24px 48px -12px rgb(16 24 20 / 0.25), 0 0 0 1px rgb(16 24 20 / 0.05);
  --backdrop: rgb(14 20 16 / 0.48);
  color-scheme: light dark;
}

@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d100e;
    --surface: #151916;
    --surface-subtle: #181d19;
    --surface-hover: #1d231f;
    --surface-sunken: #111512;
    --border: #272e29;
    --border-strong: #353e38;
    --border-hover: #4a554d;
    --text: #e7ebe8;
    --text-muted: #a0aaa3;
    --text-subtle: #7f8a82;
    --text-placeholder: #6f7a72;
    --accent: #2bb35c;
    --accent-hover: #37c468;
    --accent-active: #25a052;
    --on-accent: #04170a;
    --accent-text: #5fd38a;
    --accent-soft: rgb(43 179 92 / 0.14);
    --accent-soft-border: rgb(43 179 92 / 0.35);
    --accent-glow: rgb(43 179 92 / 0.12);
    --focus: #4ade80;
    --focus-ring: rgb(74 222 128 / 0.3);
    --danger: #e5484d;
    --danger-hover: #f0585d;
    --danger-text: #ff8b8b;
    --danger-soft: rgb(229 72 77 / 0.13);
    --danger-border: rgb(229 72 77 / 0.38);
    --danger-ring: rgb(229 72 77 / 0.3);
    --blue-text: #8db4ff;
    --blue-soft: rgb(77 139 255 / 0.14);
    --blue-border: rgb(77 139 255 / 0.36);
    --violet-text: #c2a6ff;
    --violet-soft: rgb(150 110 255 / 0.15);
    --violet-border: rgb(150 110 255 / 0.38);
    --amber-text: #f3c46b;
    --amber-soft: rgb(240 180 60 / 0.13);
    --amber-border: rgb(240 180 60 / 0.34);
    --green-text: #5fd38a;
    --green-soft: rgb(43 179 92 / 0.14);
    --green-border: rgb(43 179 92 / 0.35);
    --gray-text: #b7c0ba;
    --gray-soft: rgb(255 255 255 / 0.06);
    --gray-border: rgb(255 255 255 / 0.12);
    --shadow-sm: 0 1px 2px rgb(0 0 0 / 0.3);
    --shadow: 0 1px 3px rgb(0 0 0 / 0.35);
    --shadow-lg: 0 24px 48px -12px rgb(0 0 0 / 0.6), 0 0 0 1px rgb(255 255 255 / 0.08);
    --backdrop: rgb(0 0 0 / 0.6);
  }
}

*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  font-family: var(--font);
  font-size: 14px;
  line-height: 1.5;
  color: var(--text);
  background: var(--bg);
  -webkit-font-smoothing: antialiased;
  -moz-osx-font-smoothing: grayscale;
}
h1, h2, h3, h4, p, ul, ol, dl, dd, figure { margin: 0; }
ul[class], ol[class] { list-style: none; padding: 0; }
a { color: var(--accent-text); text-decoration: none; }
a:hover { text-decoration: underline; text-underline-offset: 2px; }
button, input, select, textarea { font: inherit; color: inherit; }
img, svg { display: block; }
.icon { width: 18px; height: 18px; flex-shrink: 0; }
code, .code { font-family: var(--mono); font-size: 12px; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
/* An in-page link's target (the event catalog's #Task.Created.v2) scrolls clear of the sticky top bar. */
:target { scroll-margin-top: 72px; }
::selection { background: var(--accent-soft-border); }

.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.skip-link {
  position: absolute; left: var(--s2); top: var(--s2); z-index: 100;
  padding: var(--s2) var(--s3); border-radius: var(--radius);
  background: var(--surface); color: var(--text); font-weight: 600;
  transform: translateY(-200%);
}
.skip-link:focus { transform: none; box-shadow: var(--shadow-lg); text-decoration: none; }

/* Top bar */
.topbar {
  position: sticky; top: 0; z-index: 20;
  background: color-mix(in srgb, var(--surface) 92%, transparent);
  backdrop-filter: saturate(1.6) blur(10px);
  border-bottom: 1px solid var(--border);
}
.topbar__inner {
  max-width: 1200px; margin: 0 auto; padding: 0 var(--s5);
  min-height: 56px; display: flex; align-items: center; gap: var(--s5);
}
.brand {
  display: inline-flex; align-items: center; gap: 10px; flex-shrink: 0;
  color: var(--text); white-space: nowrap; border-radius: var(--radius);
}
.brand:hover { text-decoration: none; }
.logo { flex-shrink: 0; border-radius: 8px; }
.brand__text { display: inline-flex; align-items: baseline; gap: 6px; }
.brand__name { font-size: 16px; font-weight: 700; letter-spacing: -0.01em; }
.brand__org { color: var(--text-muted); font-weight: 500; }
.nav { align-self: stretch; flex: 1 1 auto; min-width: 0; }
.nav__list { display: flex; gap: var(--s1); height: 100%; margin: 0; }
.nav__list > li { position: relative; display: flex; align-items: center; }
.nav__link {
  display: inline-flex; align-items: center; gap: var(--s2);
  height: 32px; padding: 0 var(--s3); border-radius: var(--radius);
  color: var(--text-muted); font-weight: 500; white-space: nowrap;
  transition: background-color 0.12s, color 0.12s;
}
.nav__link .icon { width: 16px; height: 16px; }
.nav__link:hover { color: var(--text); background: var(--surface-hover); text-decoration: none; }
.nav__link[aria-current="page"] { color: var(--text); }
.nav__link[aria-current="page"] .icon { color: var(--accent); }
.nav__link[aria-current="page"]::after {
  content: ""; position: absolute; left: var(--s3); right: var(--s3); bottom: -1px;
  height: 2px; border-radius: 2px 2px 0 0; background: var(--accent);
}
.user { margin-left: auto; display: flex; align-items: center; gap: var(--s3); min-width: 0; }
.avatar {
  display: inline-grid; place-items: center; flex-shrink: 0;
  width: 32px; height: 32px; border-radius: 50%;
  background: var(--accent-soft); color: var(--accent-text);
  border: 1px solid var(--accent-soft-border);
  font-size: 12px; font-weight: 700; letter-spacing: 0.02em;
}
.user__text { display: flex; flex-direction: column; align-items: flex-start; gap: 2px; min-width: 0; line-height: 1.2; }
.user__name { font-size: 13px; font-weight: 600; max-width: 180px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.role {
  display: inline-block; padding: 1px 6px; border-radius: 999px; border: 1px solid;
  font-size: 11px; font-weight: 600; line-height: 14px; letter-spacing: 0.01em;
}
.role--admin { color: var(--violet-text); background: var(--violet-soft); border-color: var(--violet-border); }
.role--manager { color: var(--blue-text); background: var(--blue-soft); border-color: var(--blue-border); }
.role--accountant { color: var(--amber-text); background: var(--amber-soft); border-color: var(--amber-border); }
.role--worker { color: var(--green-text); background: var(--green-soft); border-color: var(--green-border); }
.user__signout { display: flex; padding-left: var(--s3); border-left: 1px solid var(--border); }

/* Page */
.main { display: block; max-width: 1200px; margin: 0 auto; padding: var(--s6) var(--s5) var(--s8); }
.main:focus { outline: none; }
.main > * + * { margin-top: var(--s5); }
.page-header { display: flex; align-items: flex-end; justify-content: space-between; gap: var(--s4); flex-wrap: wrap; }
.page-header__text { min-width: 0; }
.page-header__title { font-size: 24px; line-height: 32px; font-weight: 700; letter-spacing: -0.02em; }
.page-header__subtitle { margin-top: var(--s1); color: var(--text-muted); font-size: 14px; }
.page-header__actions { display: flex; align-items: center; gap: var(--s2); flex-wrap: wrap; }
.stack { display: flex; flex-direction: column; gap: var(--s4); }
.cluster { display: flex; flex-wrap: wrap; align-items: center; gap: var(--s2); }
.muted { color: var(--text-muted); }
.text-sm { font-size: 13px; }
.split { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: var(--s5); align-items: start; }
.split__main, .split__aside { display: flex; flex-direction: column; gap: var(--s5); min-width: 0; }

/* Cards */
.card {
  background: var(--surface); border: 1px solid var(--border);
  border-radius: var(--radius-lg); box-shadow: var(--shadow);
}
.card--flush { overflow: hidden; }
.card__header {
  display: flex; align-items: center; justify-content: space-between; gap: var(--s4); flex-wrap: wrap;
  padding: var(--s4) var(--s5); border-bottom: 1px solid var(--border);
}
.card__title { font-size: 15px; line-height: 22px; font-weight: 600; }
.card__description { margin-top: 2px; color: var(--text-muted); font-size: 13px; }
.card__actions { display: flex; align-items: center; gap: var(--s2); flex-wrap: wrap; }
.card__body { padding: var(--s5); }
.card--flush > .card__body { padding: 0; }
.card__footer {
  padding: var(--s3) var(--s5); border-top: 1px solid var(--border);
  background: var(--surface-subtle); border-radius: 0 0 var(--radius-lg) var(--radius-lg);
}

/* Charts (chart()): the canvas fills its box; the box's height is set by charts.js. */
.chart { margin: 0; }
.chart__canvas { position: relative; width: 100%; min-height: 120px; }

/* Stats */
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 200px), 1fr)); gap: var(--s4); }
.stat {
  padding: var(--s4) var(--s5); background: var(--surface);
  border: 1px solid var(--border); border-radius: var(--radius-lg); box-shadow: var(--shadow);
}
.stat__label { color: var(--text-muted); font-size: 13px; font-weight: 500; }
.stat__value {
  margin-top: var(--s1); font-size: 28px; line-height: 36px; font-weight: 700;
  letter-spacing: -0.02em; font-variant-numeric: tabular-nums;
}
.stat--positive .stat__value { color: var(--green-text); }
.stat--negative .stat__value { color: var(--danger-text); }
.stat__hint { display: flex; align-items: center; gap: var(--s1); margin-top: var(--s1); color: var(--text-muted); font-size: 13px; }
.stat__hint .icon { width: 16px; height: 16px; }
.stat--positive .stat__hint .icon { color: var(--green-text); }
.stat--negative .stat__hint .icon { color: var(--danger-text); }

/* Tables */
.table-wrap {
  overflow-x: auto; background: var(--surface);
  border: 1px solid var(--border); border-radius: var(--radius-lg);
}
.card--flush .table-wrap { border: 0; border-radius: 0; }
.table { width: 100%; border-collapse: collapse; font-size: 14px; }
.table th {
  padding: 10px var(--s4); text-align: left; white-space: nowrap;
  font-size: 12px; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase;
  color: var(--text-muted); background: var(--surface-subtle); border-bottom: 1px solid var(--border);
}
.table td { padding: var(--s3) var(--s4); border-bottom: 1px solid var(--border); vertical-align: middle; }
.table tbody tr:last-child td { border-bottom: 0; }
.table tbody tr { transition: background-color 0.1s; }
.table tbody tr:hover { background: var(--surface-hover); }
.table time { white-space: nowrap; }
.table .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.table .num > * { justify-content: flex-end; }
.table__empty-row:hover { background: transparent !important; }
.table__empty {
  display: flex; flex-direction: column; align-items: center; gap: var(--s2);
  padding: var(--s6) var(--s4); color: var(--text-muted); text-align: center;
}
.table__empty .icon { width: 24px; height: 24px; color: var(--text-subtle); }
.cell-title { font-weight: 500; color: var(--text); }
.cell-sub { margin-top: 2px; color: var(--text-muted); font-size: 13px; }
.code {
  display: inline-block; padding: 1px 6px; border-radius: var(--radius-sm);
  background: var(--surface-sunken); border: 1px solid var(--border); color: var(--text-muted);
  line-height: 18px; white-space: nowrap;
}
.amount { font-variant-numeric: tabular-nums; white-space: nowrap; }
.amount--negative { color: var(--danger-text); }
.amount--positive { color: var(--green-text); }

/* Badges */
.badge {
  display: inline-flex; align-items: center; gap: 6px; padding: 1px 8px;
  border-radius: 999px; border: 1px solid; white-space: nowrap;
  font-size: 12px; font-weight: 500; line-height: 18px;
}
.badge::before { content: ""; width: 6px; height: 6px; border-radius: 50%; background: currentColor; }
.badge--open { color: var(--blue-text); background: var(--blue-soft); border-color: var(--blue-border); }
.badge--done { color: var(--green-text); background: var(--green-soft); border-color: var(--green-border); }
.badge--neutral { color: var(--gray-text); background: var(--gray-soft); border-color: var(--gray-border); }
.badge--danger { color: var(--danger-text); background: var(--danger-soft); border-color: var(--danger-border); }
.badge--info { color: var(--violet-text); background: var(--violet-soft); border-color: var(--violet-border); }

/* Buttons */
.btn {
  display: inline-flex; align-items: center; justify-content: center; gap: var(--s2);
  height: 36px; padding: 0 14px; border-radius: var(--radius); border: 1px solid transparent;
  font-size: 14px; font-weight: 500; line-height: 1; white-space: nowrap; cursor: pointer;
  text-decoration: none; user-select: none;
  transition: background-color 0.12s, border-color 0.12s, box-shadow 0.12s, color 0.12s;
}
.btn:hover { text-decoration: none; }
.btn:active { transform: translateY(1px); }
.btn .icon { width: 16px; height: 16px; margin-left: -2px; }
.btn--primary { background: var(--accent); color: var(--on-accent); box-shadow: inset 0 1px 0 rgb(255 255 255 / 0.14), var(--shadow-sm); }
.btn--primary:hover { background: var(--accent-hover); }
.btn--primary:active { background: var(--accent-active); }
.btn--secondary { background: var(--surface); color: var(--text); border-color: var(--border-strong); box-shadow: var(--shadow-sm); }
.btn--secondary:hover { background: var(--surface-hover); border-color: var(--border-hover); }
.btn--danger { background: var(--danger); color: #fff; box-shadow: inset 0 1px 0 rgb(255 255 255 / 0.14), var(--shadow-sm); }
.btn--danger:hover { background: var(--danger-hover); }
.btn--ghost { background: transparent; color: var(--text-muted); }
.btn--ghost:hover { background: var(--surface-hover); color: var(--text); }
.btn--sm { height: 30px; padding: 0 10px; font-size: 13px; border-radius: var(--radius-sm); }
.btn--lg { height: 40px; font-size: 15px; }
.btn--block { width: 100%; }
.btn:disabled, .btn[aria-disabled="true"] { opacity: 0.55; cursor: not-allowed; transform: none; }
.btn--danger:focus-visible { outline-color: var(--danger); }

/* Forms */
.form { display: flex; flex-direction: column; gap: var(--s4); }
.field { display: flex; flex-direction: column; gap: 6px; min-width: 0; }
.field__label { font-size: 13px; font-weight: 600; }
.control {
  display: block; width: 100%; min-height: 36px; padding: 7px var(--s3);
  background: var(--surface); color: var(--text);
  border: 1px solid var(--border-strong); border-radius: var(--radius);
  box-shadow: var(--shadow-sm); line-height: 20px;
  transition: border-color 0.12s, box-shadow 0.12s;
}
.control::placeholder { color: var(--text-placeholder); opacity: 1; }
.control:hover { border-color: var(--border-hover); }
.control:focus { outline: none; border-color: var(--focus); box-shadow: 0 0 0 3px var(--focus-ring); }
.control[aria-invalid="true"] { border-color: var(--danger); }
.control[aria-invalid="true"]:focus { box-shadow: 0 0 0 3px var(--danger-ring); }
.control--textarea { min-height: 88px; resize: vertical; }
.control--select {
  appearance: none; padding-right: 36px; cursor: pointer;
  background-image: url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 20 20' fill='none' stroke='%23808a83' stroke-width='1.6' stroke-linecap='round' stroke-linejoin='round'%3E%3Cpath d='m6 8 4 4 4-4'/%3E%3C/svg%3E");
  background-repeat: no-repeat; background-position: right 10px center; background-size: 16px;
}
.field__hint { color: var(--text-muted); font-size: 13px; }
.field__error { display: flex; align-items: flex-start; gap: 6px; color: var(--danger-text); font-size: 13px; font-weight: 500; }
.field__error .icon { width: 16px; height: 16px; margin-top: 1px; }
.form-actions { display: flex; justify-content: flex-end; gap: var(--s2); flex-wrap: wrap; padding-top: var(--s1); }
.form-row { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: var(--s4); }

/* Flash messages */
.flashes { display: flex; flex-direction: column; gap: var(--s2); }
.flash {
  display: flex; align-items: flex-start; gap: 10px; padding: var(--s3) 14px;
  border: 1px solid; border-radius: var(--radius-lg); color: var(--text);
}
.flash .icon { width: 20px; height: 20px; }
.flash p { padding-top: 1px; }
.flash--success { background: var(--green-soft); border-color: var(--green-border); }
.flash--success .icon { color: var(--green-text); }
.flash--error { background: var(--danger-soft); border-color: var(--danger-border); }
.flash--error .icon { color: var(--danger-text); }
.flash--info { background: var(--blue-soft); border-color: var(--blue-border); }
.flash--info .icon { color: var(--blue-text); }

/* Tabs (filters) */
.tabs > ul { list-style: none; margin: 0; display: inline-flex; gap: 2px; padding: 3px; background: var(--surface-sunken); border: 1px solid var(--border); border-radius: 10px; max-width: 100%; overflow-x: auto; }
.tab {
  display: inline-flex; align-items: center; gap: 6px; height: 28px; padding: 0 var(--s3);
  border-radius: 7px; color: var(--text-muted); font-size: 13px; font-weight: 500; white-space: nowrap;
}
.tab:hover { color: var(--text); text-decoration: none; }
.tab[aria-current="page"] { background: var(--surface); color: var(--text); box-shadow: var(--shadow), 0 0 0 1px var(--border); }
.tab__count {
  min-width: 20px; padding: 0 6px; border-radius: 999px; text-align: center;
  background: var(--surface-hover); color: var(--text-muted); font-size: 11px; font-weight: 600; line-height: 18px;
  font-variant-numeric: tabular-nums;
}
.tab[aria-current="page"] .tab__count { background: var(--accent-soft); color: var(--accent-text); }

/* Pagination */
.pagination { display: flex; align-items: center; justify-content: space-between; gap: var(--s3) var(--s4); flex-wrap: wrap; }
.pagination__summary { color: var(--text-muted); font-size: 13px; }
.pagination__summary strong { color: var(--text); font-weight: 600; font-variant-numeric: tabular-nums; }
.pagination__pages { display: flex; align-items: center; gap: var(--s1); margin: 0; }
.pagination__gap { padding: 0 var(--s1); color: var(--text-subtle); }
.page-link {
  display: inline-flex; align-items: center; justify-content: center; gap: var(--s1);
  min-width: 32px; height: 32px; padding: 0 var(--s2); border-radius: var(--radius);
  border: 1px solid transparent; color: var(--text); font-size: 13px; font-weight: 500;
  font-variant-numeric: tabular-nums;
}
.page-link:hover { background: var(--surface-hover); text-decoration: none; }
.page-link .icon { width: 16px; height: 16px; }
.page-link--step { border-color: var(--border-strong); background: var(--surface); }
.page-link[aria-current="page"] { background: var(--accent-soft); border-color: var(--accent-soft-border); color: var(--accent-text); font-weight: 600; }
.page-link--disabled { color: var(--text-subtle); background: transparent; border-color: var(--border); cursor: not-allowed; }
.page-link--disabled:hover { background: transparent; }

/* Empty state */
.empty { display: flex; flex-direction: column; align-items: center; text-align: center; gap: var(--s1); padding: var(--s7) var(--s5); }
.empty__icon {
  display: grid; place-items: center; width: 48px; height: 48px; margin-bottom: var(--s2);
  border-radius: 50%; background: var(--surface-sunken); border: 1px solid var(--border); color: var(--text-muted);
}
.empty__icon .icon { width: 22px; height: 22px; }
.empty__title { font-size: 15px; font-weight: 600; }
.empty__message { max-width: 44ch; color: var(--text-muted); }
.empty__action { margin-top: var(--s3); }

/* Description list */
.dl { display: grid; }
.dl__row { display: grid; grid-template-columns: minmax(88px, 30%) minmax(0, 1fr); gap: var(--s4); padding: 10px 0; border-bottom: 1px solid var(--border); }
.dl__row:last-child { border-bottom: 0; }
.dl dt { color: var(--text-muted); font-size: 13px; }
.dl dd { min-width: 0; overflow-wrap: anywhere; }

/* Confirmation dialog */
.confirm { display: inline-flex; }
.dialog {
  width: min(440px, calc(100vw - 32px)); max-height: calc(100vh - 32px);
  padding: 0; border: 0; border-radius: var(--radius-xl);
  background: var(--surface); color: var(--text); box-shadow: var(--shadow-lg);
}
.dialog[open] { animation: dialog-in 0.16s cubic-bezier(0.2, 0.9, 0.3, 1); }
.dialog::backdrop { background: var(--backdrop); backdrop-filter: blur(2px); }
.dialog[open]::backdrop { animation: fade-in 0.16s ease-out; }
@keyframes dialog-in { from { opacity: 0; transform: translateY(8px) scale(0.98); } }
@keyframes fade-in { from { opacity: 0; } }
.dialog__form { display: block; }
.dialog__body { display: flex; gap: var(--s4); padding: var(--s5) var(--s5) var(--s2); }
.dialog__icon {
  display: grid; place-items: center; flex-shrink: 0; width: 40px; height: 40px; border-radius: 50%;
  background: var(--blue-soft); color: var(--blue-text);
}
.dialog__icon--danger { background: var(--danger-soft); color: var(--danger-text); }
.dialog__icon .icon { width: 20px; height: 20px; }
.dialog__text { min-width: 0; padding-top: var(--s1); }
.dialog__title { font-size: 16px; line-height: 24px; font-weight: 600; }
.dialog__message { margin-top: var(--s1); color: var(--text-muted); }
.dialog__actions { display: flex; justify-content: flex-end; gap: var(--s2); padding: var(--s4) var(--s5) var(--s5); }

/* Sign-in */
.signin { background: radial-gradient(900px 520px at 50% -8%, var(--accent-glow), transparent 70%), var(--bg); }
.signin__main { min-height: 100vh; display: grid; place-items: center; padding: var(--s7) var(--s4); }
.signin__panel { width: 100%; max-width: 400px; display: flex; flex-direction: column; gap: var(--s5); }
.signin__brand { display: flex; flex-direction: column; align-items: center; gap: var(--s3); font-size: 15px; }
.signin__brand .logo { border-radius: 11px; box-shadow: 0 8px 24px -8px rgb(21 128 61 / 0.55); }
.signin__card {
  display: flex; flex-direction: column; gap: var(--s5);
  padding: var(--s6); background: var(--surface); border: 1px solid var(--border);
  border-radius: var(--radius-xl); box-shadow: 0 12px 32px -12px rgb(16 24 20 / 0.18), var(--shadow);
}
.signin__card > .flashes { margin: 0; }
.signin__title { font-size: 22px; line-height: 28px; font-weight: 700; letter-spacing: -0.02em; }
.signin__subtitle { margin-top: calc(var(--s1) - var(--s5)); color: var(--text-muted); }
.signin__card .form { gap: var(--s4); }
.signin__card .btn { margin-top: var(--s2); }
.signin__footer { text-align: center; color: var(--text-muted); font-size: 13px; }

/* Small screens */
@media (max-width: 960px) {
  .split { grid-template-columns: minmax(0, 1fr); }
}
@media (max-width: 720px) {
  .topbar__inner { flex-wrap: wrap; column-gap: var(--s3); row-gap: 0; padding: 0 var(--s4); }
  .brand { min-height: 56px; }
  .nav { order: 3; flex-basis: 100%; margin: 0 calc(-1 * var(--s4)); padding: 0 var(--s2); height: 44px; border-top: 1px solid var(--border); overflow-x: auto; scrollbar-width: none; }
  .nav__link { padding: 0 10px; }
  .nav__link[aria-current="page"]::after { left: 10px; right: 10px; }
  .user__signout { padding-left: 0; border-left: 0; }
  .user__signout-label { display: none; }
  .user__signout .btn { width: 32px; padding: 0; }
  .user__signout .btn .icon { margin: 0; }
  .main { padding: var(--s5) var(--s4) var(--s7); }
  .page-header__title { font-size: 20px; line-height: 28px; }
  .stats { grid-template-columns: repeat(auto-fit, minmax(min(100%, 148px), 1fr)); gap: var(--s3); }
  .stat { padding: var(--s3) var(--s4); }
  .stat__value { font-size: 22px; line-height: 30px; }
}
@media (max-width: 640px) {
  .table thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .table, .table tbody, .table tr, .table td { display: block; width: 100%; }
  .table tbody tr { padding: var(--s3) var(--s4); border-bottom: 1px solid var(--border); }
  .table tbody tr:last-child { border-bottom: 0; }
  .table td { display: flex; align-items: center; justify-content: space-between; gap: var(--s4); padding: var(--s1) 0; border: 0; text-align: right; }
  .table td::before {
    content: attr(data-label); flex-shrink: 0; text-align: left;
    font-size: 12px; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; color: var(--text-muted);
  }
  .table td:first-child { display: block; padding-bottom: var(--s2); text-align: left; }
  .table td:first-child::before, .table td:not([data-label])::before { content: none; }
  .table td:not([data-label]) { justify-content: flex-end; }
  .table__empty-row td { display: block; }
  .dl__row { grid-template-columns: 1fr; gap: 2px; }
  .pagination { justify-content: center; }
  .pagination__number, .pagination__gap { display: none; }
  .card__header, .card__body { padding: var(--s4); }
  .card--flush > .card__body { padding: 0; }
  .card__footer { padding: var(--s3) var(--s4); }
  .signin__card { padding: var(--s5); }
}
@media (max-width: 520px) {
  .user__text { display: none; }
  .brand__org { font-size: 13px; }
}

@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; }
}
@media print {
  .topbar, .skip-link, .pagination, .confirm, .btn { display: none !important; }
  body { background: #fff; }
  .card, .stat, .table-wrap { box-shadow: none; }
}
`.trim() + '\n';
