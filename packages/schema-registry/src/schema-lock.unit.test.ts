import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSchemasDir } from './schema-files.js';
import { defaultLockPath, diffLock, hashSchemas, readLock, releaseViolations, updateLock } from './schema-lock.js';

describe('schemas.lock.json', () => {
  it('no released schema changed or disappeared', () => {
    expect(releaseViolations(diffLock(readLock(), hashSchemas()))).toEqual([]);
  });

  it('locks every schema file (run: npx tsx packages/schema-registry/src/lock.ts)', () => {
    expect(diffLock(readLock(), hashSchemas()).added).toEqual([]);
  });
});

describe('updateLock', () => {
  let dir: string;
  let schemas: string;
  let lockPath: string;
  const released = (): string => join(schemas, 'account/deactivated/1.json');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'schema-lock-'));
    schemas = join(dir, 'schemas');
    lockPath = join(dir, 'schemas.lock.json');
    cpSync(defaultSchemasDir, schemas, { recursive: true });
    cpSync(defaultLockPath, lockPath);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds a new file and keeps every existing entry', () => {
    const before = readLock(lockPath);
    writeFileSync(join(schemas, 'account/deactivated/2.json'), '{}\n');
    expect(updateLock(schemas, lockPath)).toEqual({ added: ['schemas/account/deactivated/2.json'], violations: [] });
    const after = readLock(lockPath);
    expect(after).toMatchObject(before);
    expect(Object.keys(after)).toHaveLength(Object.keys(before).length + 1);
    expect(updateLock(schemas, lockPath)).toEqual({ added: [], violations: [] });
  });

  it('refuses, and writes nothing, when a released file changed', () => {
    const lockBefore = readFileSync(lockPath, 'utf8');
    writeFileSync(released(), readFileSync(released(), 'utf8').replace('{', '{ '));
    writeFileSync(join(schemas, 'account/deactivated/2.json'), '{}\n');
    expect(updateLock(schemas, lockPath)).toEqual({
      added: [],
      violations: [
        'schemas/account/deactivated/1.json was released and must not change: add a new version file instead',
      ],
    });
    expect(readFileSync(lockPath, 'utf8')).toBe(lockBefore);
  });

  it('refuses when a released file was deleted', () => {
    rmSync(released());
    expect(updateLock(schemas, lockPath).violations).toEqual([
      'schemas/account/deactivated/1.json was released and must not be deleted: retained events still need it',
    ]);
  });

  it('ignores line endings, so a CRLF checkout is not a change', () => {
    writeFileSync(released(), readFileSync(released(), 'utf8').replaceAll('\n', '\r\n'));
    expect(updateLock(schemas, lockPath)).toEqual({ added: [], violations: [] });
  });

  it('creates the lock when there is none', () => {
    rmSync(lockPath);
    const { added } = updateLock(schemas, lockPath);
    expect(added).toContain('schemas/envelope.json');
    expect(readLock(lockPath)).toEqual(readLock(defaultLockPath));
  });
});
