import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultSchemasDir, listSchemaPaths } from './schema-files.js';

/**
 * Released schemas never change: `schemas.lock.json` records the sha256 of every schema file
 * (keyed `schemas/<path>`), and a file, once locked, may neither change nor disappear (retained
 * events of every version must stay valid for replays).
 */
export const defaultLockPath = fileURLToPath(new URL('../schemas.lock.json', import.meta.url));

export type SchemaHashes = Readonly<Record<string, string>>;

export interface LockDiff {
  /** Files not in the lock yet. */
  readonly added: readonly string[];
  /** Locked files whose content differs. */
  readonly changed: readonly string[];
  /** Locked files that no longer exist. */
  readonly deleted: readonly string[];
}

// Line endings are normalised so that a checkout with CRLF does not look like a change.
const sha256 = (text: string): string => createHash('sha256').update(text.replaceAll('\r\n', '\n')).digest('hex');

/** sha256 of every schema file under `dir`, keyed `schemas/<relative path>`. */
export const hashSchemas = (dir: string = defaultSchemasDir): SchemaHashes =>
  Object.fromEntries(
    listSchemaPaths(dir).map((path) => [`schemas/${path}`, sha256(readFileSync(join(dir, path), 'utf8'))]),
  );

/** The lock's entries; an absent lock file has none. */
export const readLock = (lockPath: string = defaultLockPath): SchemaHashes =>
  existsSync(lockPath) ? (JSON.parse(readFileSync(lockPath, 'utf8')) as SchemaHashes) : {};

export const diffLock = (lock: SchemaHashes, hashes: SchemaHashes): LockDiff => ({
  added: Object.keys(hashes).filter((path) => lock[path] === undefined),
  changed: Object.keys(lock).filter((path) => hashes[path] !== undefined && hashes[path] !== lock[path]),
  deleted: Object.keys(lock).filter((path) => hashes[path] === undefined),
});

/** What must be undone before the lock can be updated: every changed or deleted released file. */
export const releaseViolations = (diff: LockDiff): string[] => [
  ...diff.changed.map((path) => `${path} was released and must not change: add a new version file instead`),
  ...diff.deleted.map((path) => `${path} was released and must not be deleted: retained events still need it`),
];

const sortedJson = (entries: SchemaHashes): string =>
  `${JSON.stringify(Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1))), null, 2)}\n`;

/**
 * Adds new schema files to the lock; never rewrites an entry. When a released file changed or
 * disappeared, writes nothing and returns the violations.
 */
export const updateLock = (
  dir: string = defaultSchemasDir,
  lockPath: string = defaultLockPath,
): { readonly added: readonly string[]; readonly violations: readonly string[] } => {
  const lock = readLock(lockPath);
  const hashes = hashSchemas(dir);
  const diff = diffLock(lock, hashes);
  const violations = releaseViolations(diff);
  if (violations.length > 0) return { added: [], violations };
  if (diff.added.length > 0 || !existsSync(lockPath)) {
    const additions = Object.fromEntries(diff.added.map((path) => [path, hashes[path] ?? '']));
    writeFileSync(lockPath, sortedJson({ ...lock, ...additions }));
  }
  return { added: diff.added, violations };
};
