import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import ts from 'typescript';
import { defaultSchemasDir, isObject, readSchemas } from './schema-files.js';
import type { EventSchemaFile, JsonObject } from './schema-files.js';

/** The file `generate-types.ts` writes and the up-to-date test compares against. */
export const generatedTypesPath = fileURLToPath(new URL('./events.generated.ts', import.meta.url));

const header = `// Generated from packages/schema-registry/schemas; do not edit by hand.
// After adding or changing a schema file, regenerate from the repository root with:
//   npx tsx packages/schema-registry/src/generate-types.ts
// A unit test fails while this file is out of date.
`;

const maps = `export type EventName = keyof EventMap;
export type VersionOf<N extends EventName> = keyof EventMap[N] & number;
export type EventOf<N extends EventName, V extends VersionOf<N> = VersionOf<N>> = EventMap[N][V];
export type DataOf<N extends EventName, V extends VersionOf<N> = VersionOf<N>> =
  EventOf<N, V> extends { readonly data: infer D } ? D : never;
/** Every known event version: a union discriminated by \`event_name\`, then \`event_version\`. */
export type AnyEvent = { [N in EventName]: EventOf<N> }[EventName];
`;

type CompileInput = Parameters<typeof compile>[0];

const compileOptions = {
  bannerComment: '',
  unknownAny: true,
  style: { singleQuote: true, printWidth: 120, semi: true, tabWidth: 2, trailingComma: 'all', bracketSpacing: true },
} as const;

const objectAt = (schema: JsonObject, key: string): JsonObject => {
  const value = schema[key];
  return isObject(value) ? value : {};
};

const stringsAt = (schema: JsonObject, key: string): string[] => {
  const value = schema[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
};

/**
 * One self-contained object schema for an event: the envelope's properties, each narrowed by the
 * event's (`const` name and version, the `data` schema), as Ajv evaluates `$ref` plus siblings.
 * json-schema-to-typescript would otherwise merge a `$ref` with its siblings shallowly and lose them.
 */
export const inlineEnvelope = (envelope: JsonObject, event: JsonObject): JsonObject => {
  const properties = { ...objectAt(envelope, 'properties') };
  for (const [key, schema] of Object.entries(objectAt(event, 'properties'))) {
    properties[key] = { ...objectAt(properties, key), ...(isObject(schema) ? schema : {}) };
  }
  const required = [...new Set([...stringsAt(envelope, 'required'), ...stringsAt(event, 'required')])];
  return { type: 'object', description: event['description'], properties, required, additionalProperties: false };
};

/** Inserts `readonly` before every property, index signature and array type. */
export const makeReadonly = (code: string): string => {
  const source = ts.createSourceFile('generated.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const positions = new Set<number>();
  const isReadonly = (node: ts.PropertySignature | ts.IndexSignatureDeclaration): boolean =>
    node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ReadonlyKeyword) ?? false;
  const visit = (node: ts.Node): void => {
    const member = ts.isPropertySignature(node) || ts.isIndexSignatureDeclaration(node);
    const array = ts.isArrayTypeNode(node) || ts.isTupleTypeNode(node);
    const operator = ts.isTypeOperatorNode(node.parent) && node.parent.operator === ts.SyntaxKind.ReadonlyKeyword;
    if ((member && !isReadonly(node)) || (array && !operator)) positions.add(node.getStart(source));
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return [...positions]
    .sort((a, b) => b - a)
    .reduce((text, at) => `${text.slice(0, at)}readonly ${text.slice(at)}`, code);
};

const typeName = (file: EventSchemaFile): string => `${file.name.replace('.', '')}V${file.version}`;

const withoutMeta = (schema: JsonObject): JsonObject => {
  const { $schema: _schema, $id: _id, title: _title, ...rest } = schema;
  return rest;
};

const compileType = async (schema: JsonObject, name: string): Promise<string> =>
  makeReadonly(await compile(schema as CompileInput, name, compileOptions));

const eventMap = (events: readonly EventSchemaFile[]): string => {
  const names = [...new Set(events.map((file) => file.name))];
  const entry = (name: string): string => {
    const versions = events.filter((file) => file.name === name).map((file) => `${file.version}: ${typeName(file)}`);
    return `  '${name}': { ${versions.join('; ')} };\n`;
  };
  return `/** Every event name, and for each its versions, as found in the schemas folder. */
export interface EventMap {
${names.map(entry).join('')}}
`;
};

/** The contents of `events.generated.ts` for the schemas in `dir`. */
export const generateTypes = async (dir: string = defaultSchemasDir): Promise<string> => {
  const { envelope, events } = readSchemas(dir);
  const envelopeType = await compileType(withoutMeta(envelope.schema), 'EventEnvelope');
  const eventTypes: string[] = [];
  for (const file of events)
    eventTypes.push(await compileType(inlineEnvelope(envelope.schema, file.schema), typeName(file)));
  return [header, envelopeType, ...eventTypes, eventMap(events), maps].join('\n');
};
