import { raw } from './html.js';
import type { SafeHtml } from './html.js';

/** 20×20 stroke icons drawn for aTES (decorative: always `aria-hidden`). */
const paths = {
  tasks: '<rect x="3" y="3" width="14" height="14" rx="3"/><path d="m7 10 2 2 4-4"/>',
  accounting: '<rect x="2.5" y="5" width="15" height="11" rx="2.5"/><path d="M2.5 8.5h15"/><path d="M6 12.5h3"/>',
  analytics: '<path d="M3 17h14"/><path d="M5.5 14v-4"/><path d="M10 14V5"/><path d="M14.5 14V8"/>',
  admin:
    '<circle cx="8" cy="7" r="3"/><path d="M2.5 16.5c.7-2.9 2.9-4.5 5.5-4.5s4.8 1.6 5.5 4.5"/><path d="M13 4.3a3 3 0 0 1 0 5.4"/><path d="M15 12.4c1.3.7 2.1 2.1 2.5 4.1"/>',
  signOut:
    '<path d="M8 3.5H5A1.5 1.5 0 0 0 3.5 5v10A1.5 1.5 0 0 0 5 16.5h3"/><path d="m12.5 6.5 3.5 3.5-3.5 3.5"/><path d="M16 10H8"/>',
  success: '<circle cx="10" cy="10" r="7.5"/><path d="m7 10.2 2 2 4-4.2"/>',
  error: '<circle cx="10" cy="10" r="7.5"/><path d="M10 6.2v4.3"/><path d="M10 13.6v.1"/>',
  info: '<circle cx="10" cy="10" r="7.5"/><path d="M10 9.2v4.6"/><path d="M10 6.3v.1"/>',
  warning:
    '<path d="M8.6 3.6 2.4 14.5A1.6 1.6 0 0 0 3.8 17h12.4a1.6 1.6 0 0 0 1.4-2.5L11.4 3.6a1.6 1.6 0 0 0-2.8 0Z"/><path d="M10 7.8v3.6"/><path d="M10 14.1v.1"/>',
  inbox:
    '<path d="M2.5 11.5 5 4.5A1.5 1.5 0 0 1 6.4 3.5h7.2A1.5 1.5 0 0 1 15 4.5l2.5 7"/><path d="M2.5 11.5V15A1.5 1.5 0 0 0 4 16.5h12a1.5 1.5 0 0 0 1.5-1.5v-3.5h-4l-1 2h-5l-1-2Z"/>',
  plus: '<path d="M10 4.5v11"/><path d="M4.5 10h11"/>',
  shuffle:
    '<path d="M2.5 6h2.8c1.3 0 2.4.6 3.1 1.7l3.2 4.6c.7 1.1 1.8 1.7 3.1 1.7h2.8"/><path d="m15.5 12 2 2-2 2"/><path d="M2.5 14h2.8c1.3 0 2.4-.6 3.1-1.7"/><path d="M11.6 7.7c.7-1.1 1.8-1.7 3.1-1.7h2.8"/><path d="m15.5 4 2 2-2 2"/>',
  check: '<path d="m4.5 10.5 3.5 3.5 7.5-8"/>',
  chevronLeft: '<path d="m12 4.5-5.5 5.5 5.5 5.5"/>',
  chevronRight: '<path d="m8 4.5 5.5 5.5L8 15.5"/>',
  search: '<circle cx="9" cy="9" r="5.5"/><path d="m17 17-3.9-3.9"/>',
  trendUp: '<path d="m2.5 14 5-5 3 3 7-7"/><path d="M12.5 5h5v5"/>',
  trendDown: '<path d="m2.5 6 5 5 3-3 7 7"/><path d="M12.5 15h5v-5"/>',
} as const;

export type IconName = keyof typeof paths;

export const icon = (name: IconName, className = 'icon'): SafeHtml =>
  raw(
    `<svg class="${className}" viewBox="0 0 20 20" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${paths[name]}</svg>`,
  );

/**
 * The aTES mark: a parrot-green tile with a popug in profile (hooked beak, eye, crest). Also the
 * favicon, as a data URL, so nothing is fetched.
 */
const logoSvg = (size: number): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="${size}" height="${size}">` +
  '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#3cc268"/><stop offset="1" stop-color="#14803d"/></linearGradient></defs>' +
  '<rect width="32" height="32" rx="8" fill="url(#g)"/>' +
  '<path d="M9 26c0-7 1.5-12.5 6-15.3 1.7-1 3.7-1.4 5.6-1 2.4.5 4 2.2 4.4 4.3l-5 1.6c-2.3.8-3.7 2.6-4.2 5.1L14.9 26Z" fill="#fff"/>' +
  '<path d="M21 14.6 25 13.2c1.6 1.6 1.9 4.3.5 6.3-.4-1.5-1.4-2.4-2.8-2.6l-2.6-.3Z" fill="#ffd43b"/>' +
  '<circle cx="19.3" cy="12.6" r="1.45" fill="#0f5f2c"/>' +
  '<path d="M15.5 10.4c-.5-2 .2-4 1.8-5.4.3 1.3 1.1 2.4 2.3 3.1" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/>' +
  '</svg>';

export const logo = (size = 28): SafeHtml =>
  raw(
    logoSvg(size)
      .replace('<svg ', '<svg class="logo" aria-hidden="true" focusable="false" ')
      .replaceAll('id="g"', 'id="ates-logo-g"')
      .replace('url(#g)', 'url(#ates-logo-g)'),
  );

export const faviconHref = `data:image/svg+xml,${encodeURIComponent(logoSvg(32))}`;
