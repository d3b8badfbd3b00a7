import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerUiAssets, uiCssHref, uiJsHref } from './assets.js';
import { uiCss } from './styles.js';
import { uiJs } from './script.js';

describe('registerUiAssets', () => {
  it('serves the stylesheet and the script with a long cache', async () => {
    const app = Fastify();
    registerUiAssets(app);
    const css = await app.inject({ method: 'GET', url: uiCssHref });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.body).toBe(uiCss);
    const js = await app.inject({ method: 'GET', url: uiJsHref });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe(uiJs);
    await app.close();
  });

  it('fetches nothing from elsewhere: no imports, web fonts or remote URLs', () => {
    expect(uiCss).not.toMatch(/@import|@font-face/);
    for (const [, url] of uiCss.matchAll(/url\(\s*["']?([^"')]+)/g)) expect(url).toMatch(/^data:/);
    expect(uiJs).not.toMatch(/fetch\(|XMLHttpRequest|import\(/);
  });

  it('ships a script that parses', () => {
    expect(() => new Function(uiJs)).not.toThrow();
  });
});
