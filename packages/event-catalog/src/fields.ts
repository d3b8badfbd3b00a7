import type { JsonObject } from '@ates/schema-registry';

/** One field of an event as the page lists it: `reverses.kind`, its type, rules and meaning. */
export interface FieldRow {
  /** Dotted below the table's root: `public_id`, `reverses.transaction_id`. */
  readonly path: string;
  readonly type: string;
  /** Length, range and pattern rules, e.g. `1–200 characters, matches ^[^\[\]]*$`; empty when none. */
  readonly rules: string;
  readonly required: boolean;
  readonly description: string;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const branches = (schema: JsonObject): JsonObject[] => {
  const list = schema['oneOf'] ?? schema['anyOf'];
  return Array.isArray(list) ? list.filter(isObject) : [];
};

/** A schema's type in a few words: `string (uuid) or null`, `"open" | "done"`, `integer`. */
export const describeType = (schema: JsonObject): string => {
  if ('const' in schema) return JSON.stringify(schema['const']);
  if (Array.isArray(schema['enum'])) return schema['enum'].map((v) => JSON.stringify(v)).join(' | ');
  const alternatives = branches(schema);
  if (alternatives.length > 0) return alternatives.map(describeType).join(' or ');
  const types = Array.isArray(schema['type']) ? schema['type'] : [schema['type'] ?? 'any'];
  const format = typeof schema['format'] === 'string' ? ` (${schema['format']})` : '';
  const items = isObject(schema['items']) ? ` of ${describeType(schema['items'])}` : '';
  return types
    .map((type) => String(type))
    .map((type) => (type === 'string' ? `string${format}` : type === 'array' ? `array${items}` : type))
    .join(' or ');
};

const range = (min: unknown, max: unknown, unit: string): string | undefined => {
  if (typeof min === 'number' && typeof max === 'number') return `${min}–${max}${unit}`;
  if (typeof min === 'number') return `at least ${min}${unit}`;
  if (typeof max === 'number') return `at most ${max}${unit}`;
  return undefined;
};

const rulesOf = (schema: JsonObject): string =>
  [
    schema['minLength'] === 1 && schema['maxLength'] === undefined
      ? 'not empty'
      : range(schema['minLength'], schema['maxLength'], ' characters'),
    range(schema['minimum'], schema['maximum'], ''),
    typeof schema['pattern'] === 'string' ? `matches ${schema['pattern']}` : undefined,
  ]
    .filter((rule) => rule !== undefined)
    .join(', ');

/**
 * The fields of an object schema, depth first: each property, then (for an object, or an
 * alternative that is one) the fields inside it, with dotted paths.
 */
export const fieldRows = (schema: JsonObject, prefix = ''): FieldRow[] => {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  return Object.entries(properties).flatMap(([name, property]) => {
    if (!isObject(property)) return [];
    const path = `${prefix}${name}`;
    const row: FieldRow = {
      path,
      type: describeType(property),
      rules: rulesOf(property),
      required: required.includes(name),
      description: typeof property['description'] === 'string' ? property['description'] : '',
    };
    const inner = [property, ...branches(property)].flatMap((s) => fieldRows(s, `${path}.`));
    return [row, ...inner];
  });
};
