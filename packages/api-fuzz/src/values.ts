import fc from 'fast-check';
import type { JsonSchema } from './openapi.js';

/**
 * Values for a JSON Schema: `validValue` those a client means to send (within the schema, as far as
 * a generator can tell — the oracle has the last word), and `oddJsonValues` / `oddTextValues` the
 * ones a careless client or an attacker sends: wrong types, empty, huge, control characters, NUL,
 * unpaired surrogates, odd numbers, odd spellings of a UUID.
 */
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

const typesOf = (schema: JsonSchema): string[] => {
  const { type } = schema;
  if (Array.isArray(type)) return type as string[];
  return typeof type === 'string' ? [type] : [];
};

const sampleUuid = '6f1c1c8e-8f4e-4b8e-9b53-0d8a5b0c1a11';

const email = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/), fc.stringMatching(/^[a-z]{1,8}$/))
  .filter(([local]) => !local.includes('..'))
  .map(([local, domain]) => `${local}@${domain}.example`);

const stringValue = (schema: JsonSchema): fc.Arbitrary<string> => {
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = Math.min(num(schema.maxLength) ?? 80, Math.max(minLength, 80));
  const fits = (s: string) => [...s].length >= minLength && [...s].length <= (num(schema.maxLength) ?? Infinity);
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'email') return email;
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'uri') return fc.webUrl();
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  // Any Unicode, surrogate pairs (emoji) included: valid, and odd enough.
  return fc.string({ unit: 'grapheme', minLength, maxLength }).filter(fits);
};

const integerValue = (schema: JsonSchema): fc.Arbitrary<number> => {
  const min = num(schema.minimum) ?? -1000;
  const max = num(schema.maximum) ?? min + 1000;
  // Mostly small: page 1, 2, 3 are what exists; the whole range now and then.
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min, max: Math.min(max, min + 20) }) },
    fc.integer({ min, max }),
  );
};

const objectValue = (schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> => {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  const minProperties = num(schema.minProperties) ?? 0;
  return fc
    .record(Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, validValue(s)])), {
      requiredKeys: required.filter((r) => r in properties),
    })
    .filter((value) => Object.keys(value).length >= minProperties);
};

/** A value meant to satisfy `schema`. */
export const validValue = (schema: JsonSchema): fc.Arbitrary<unknown> => {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map(validValue));
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue({ ...schema, type })));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerValue(schema);
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: num(schema.minimum), max: num(schema.maximum) });
    case 'string':
      return stringValue(schema);
    case 'array':
      return fc.array(validValue((schema.items ?? {}) as JsonSchema), {
        minLength: num(schema.minItems) ?? 0,
        maxLength: Math.min(num(schema.maxItems) ?? 4, 4),
      });
    case 'object':
      return objectValue(schema);
    default:
      return fc.jsonValue();
  }
};

/** Spellings of a UUID that are not the plain form. */
export const oddUuids = [
  `urn:uuid:${sampleUuid}`,
  `{${sampleUuid}}`,
  sampleUuid.replaceAll('-', ''),
  `${sampleUuid} `,
  ` ${sampleUuid}`,
  sampleUuid.slice(0, -1),
  `${sampleUuid}0`,
  `${sampleUuid}\u0000`,
  sampleUuid.replace(/^./, 'g'),
];

/** Strings that are trouble anywhere: NUL, unpaired surrogates, controls, direction overrides, huge. */
export const oddStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\ud83d',
  '\u0001\u0007\u001b[31m\u007f',
  '\t\r\n',
  '\u202e\u2066reversed',
  '\ufeff',
  '[',
  ']',
  'abc [',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '🦜'.repeat(300),
  'x'.repeat(100_000),
  ...oddUuids,
];

const oddNumbers = [-1, 0, 1.5, -0.5, 1e18, -1e18, 2 ** 31, 2 ** 53, 1e308];

/** JSON values that break `schema` or probe its edges: for a body field. */
export const oddJsonValues = (schema: JsonSchema): unknown[] => {
  const maxLength = num(schema.maxLength);
  return [
    ...oddStrings,
    ...oddNumbers,
    true,
    null,
    [],
    {},
    ['x'],
    [sampleUuid],
    { nested: 'x' },
    ...(maxLength === undefined ? [] : ['x'.repeat(maxLength + 1)]),
  ];
};

/** Query and path values (text by nature) that break `schema` or probe its edges. */
export const oddTextValues = (schema: JsonSchema): string[] => {
  const maxLength = num(schema.maxLength);
  return [
    ...oddStrings.filter((s) => s !== '' && s.length < 10_000),
    'x'.repeat(5_000),
    '1e18',
    '-1',
    '0',
    '1.5',
    '0x10',
    'NaN',
    'Infinity',
    'true',
    'null',
    ...(maxLength === undefined ? [] : ['x'.repeat(maxLength + 1)]),
  ];
};
