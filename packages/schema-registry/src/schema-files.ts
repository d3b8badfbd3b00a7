import { readFileSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configError } from '@ates/errors';

/** The schemas shipped with this package. */
export const defaultSchemasDir = fileURLToPath(new URL('../schemas', import.meta.url));

/** Path of the shared envelope schema, relative to the schemas folder. */
export const envelopePath = 'envelope.json';

export type JsonObject = { [key: string]: unknown };

export interface SchemaFile {
  /** Relative to the schemas folder, with forward slashes: `task/created/2.json`. */
  readonly path: string;
  readonly schema: JsonObject;
}

export interface EventSchemaFile extends SchemaFile {
  readonly name: string;
  readonly version: number;
}

export interface SchemaSet {
  readonly envelope: SchemaFile;
  /** Sorted by name, then version. */
  readonly events: readonly EventSchemaFile[];
}

const kebab = (word: string): string => word.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Where the schema of an event version lives: `Account.RoleChanged` v1 → `account/role-changed/1.json`. */
export const eventSchemaPath = (name: string, version: number): string =>
  `${name.split('.').map(kebab).join('/')}/${version}.json`;

/** Every `.json` file under `dir`, relative, with forward slashes, sorted. */
export const listSchemaPaths = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.json'))
    .map((path) => path.split(sep).join('/'))
    .sort();

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const readJson = (dir: string, path: string): JsonObject => {
  const parsed: unknown = JSON.parse(readFileSync(join(dir, path), 'utf8'));
  if (!isObject(parsed)) throw configError(`schema ${path} is not a JSON object`);
  return parsed;
};

/** The `const` an event schema fixes for an envelope field (event_name, event_version). */
const constOf = (file: SchemaFile, field: string): unknown => {
  const properties = file.schema['properties'];
  const property = isObject(properties) ? properties[field] : undefined;
  return isObject(property) ? property['const'] : undefined;
};

/** Reads an event schema and checks that its path matches the name and version it fixes. */
const toEventFile = (file: SchemaFile): EventSchemaFile => {
  const name = constOf(file, 'event_name');
  const version = constOf(file, 'event_version');
  if (typeof name !== 'string' || typeof version !== 'number') {
    throw configError(`schema ${file.path} must fix event_name and event_version with const`);
  }
  const expected = eventSchemaPath(name, version);
  if (expected !== file.path)
    throw configError(`schema of ${name} v${version} must live at ${expected}, not ${file.path}`);
  return { ...file, name, version };
};

const byNameThenVersion = (a: EventSchemaFile, b: EventSchemaFile): number =>
  a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1;

/** Every event schema under `dir` (an envelope there is not one). Throws a `config` error on a misplaced file. */
export const readEventSchemas = (dir: string): EventSchemaFile[] =>
  listSchemaPaths(dir)
    .filter((path) => path !== envelopePath)
    .map((path) => toEventFile({ path, schema: readJson(dir, path) }))
    .sort(byNameThenVersion);

/** Reads the envelope and every event schema under `dir`. Throws a `config` error on a misplaced file. */
export const readSchemas = (dir: string = defaultSchemasDir): SchemaSet => {
  if (!listSchemaPaths(dir).includes(envelopePath)) throw configError(`no ${envelopePath} in ${dir}`);
  return { envelope: { path: envelopePath, schema: readJson(dir, envelopePath) }, events: readEventSchemas(dir) };
};
