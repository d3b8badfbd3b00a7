import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecrets } from './secrets.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'ates-secrets-'));
});
afterEach(() => rm(home, { recursive: true, force: true }));

describe('loadOrCreateSecrets', () => {
  it('creates secrets.json readable by its owner only, and returns the same secrets on the next start', async () => {
    const first = await loadOrCreateSecrets(home);
    const file = path.join(home, 'secrets.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    for (const value of Object.values(first)) expect(value.length).toBeGreaterThanOrEqual(32);
    expect(await loadOrCreateSecrets(home)).toEqual(first);
  });

  it('adds a secret the file lacks without changing the others', async () => {
    const file = path.join(home, 'secrets.json');
    await writeFile(file, JSON.stringify({ AUTH_COOKIE_KEYS: 'k'.repeat(40) }), { mode: 0o600 });
    const secrets = await loadOrCreateSecrets(home);
    expect(secrets.AUTH_COOKIE_KEYS).toBe('k'.repeat(40));
    expect(secrets.DASHBOARD_CLIENT_SECRET).toHaveLength(43);
    expect(secrets.METRICS_TOKEN).toHaveLength(43);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(secrets);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('tightens permissions someone loosened', async () => {
    await loadOrCreateSecrets(home);
    const file = path.join(home, 'secrets.json');
    await chmod(file, 0o644);
    await loadOrCreateSecrets(home);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
