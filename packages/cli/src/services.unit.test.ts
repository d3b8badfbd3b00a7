import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serviceLoaders, serviceNamesInOrder } from './services.js';

// Loading a service's definition loads its whole module graph (auth's takes oidc-provider, ~4 s
// on a busy 2-core machine): a bound for a hang, not a measure of speed.
const loadingTimeoutMs = 30_000;

describe('service definitions', () => {
  it.each(serviceNamesInOrder)(
    '%s lists every migration file of its folder, in order',
    { timeout: loadingTimeoutMs },
    async (name) => {
      const definition = await serviceLoaders[name]();
      const dir = fileURLToPath(new URL(`../../../services/${name}/migrations/`, import.meta.url));
      const files = (await readdir(dir))
        .filter((f) => /^\d{4}_.+\.ts$/.test(f))
        .map((f) => f.replace(/\.ts$/, ''))
        .sort();
      expect(definition.name).toBe(name);
      expect(definition.migrations.map((m) => m.name)).toEqual(files);
    },
  );
});
