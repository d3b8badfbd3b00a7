import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { AppError, configError } from '@ates/errors';
import type { FieldIssue } from '@ates/errors';
import type { AnyEvent, EventEnvelope } from './events.generated.js';
import { describeError } from './reasons.js';
import { defaultSchemasDir, readEventSchemas, readSchemas } from './schema-files.js';

export type ValidationResult =
  | { readonly ok: true; readonly event: AnyEvent }
  | { readonly ok: false; readonly reason: string; readonly issues: readonly FieldIssue[] };

/** Every event schema, by name and version; validates envelopes and their data against them. */
export interface SchemaRegistry {
  /** Checks the envelope, then that the name and version are known, then the data. Never throws. */
  validate(input: unknown): ValidationResult;
  /** Like `validate`, but throws an `invalid_event` AppError with the reason and issues. */
  assertValid(input: unknown): AnyEvent;
  has(name: string, version: number): boolean;
  /** Known versions of an event name, ascending; empty when the name is unknown. */
  versions(name: string): readonly number[];
  /** Known event names, sorted. */
  names(): readonly string[];
}

// ajv-formats is CommonJS: under NodeNext its default export is the module object, whose
// `default` is the plugin (the same function at runtime, whichever interop is used).
const addFormats = ajvFormats.default;

const createAjv = (): Ajv2020 => {
  // allUnionTypes: nullable fields are written `"type": ["string", "null"]`.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
};

const failure = (errors: readonly ErrorObject[] | null | undefined): ValidationResult => {
  const problems = (errors ?? []).map(describeError);
  const reason = problems[0]?.reason ?? 'invalid event';
  return { ok: false, reason, issues: problems.map(({ field, message }) => ({ field, message })) };
};

const unknownEvent = (name: string, version: number): ValidationResult => ({
  ok: false,
  reason: `unknown event ${name} v${version}`,
  issues: [{ field: 'event_name', message: `${name} v${version} has no schema` }],
});

const label = (input: unknown): string => {
  const { event_name: name, event_version: version } = (input ?? {}) as Partial<Record<string, unknown>>;
  return typeof name === 'string' && typeof version === 'number' ? ` ${name} v${version}` : '';
};

export interface RegistryOptions {
  /**
   * Folders of event schemas (laid out as `schemas/` is, without an envelope) that this registry
   * knows besides `dir`'s: tests register events of their own this way (`testRegistry` of
   * `@ates/event-bus/testing`) instead of shipping them in the production registry.
   */
  readonly extraDirs?: readonly string[];
}

/**
 * Reads and compiles every schema under `dir` (default: this package's `schemas/`) once, and
 * those of `extraDirs`. Throws a `config` error when a schema file is misplaced or an event
 * version is defined twice, or Ajv's error when one is invalid.
 */
export const loadRegistry = (dir: string = defaultSchemasDir, options: RegistryOptions = {}): SchemaRegistry => {
  const { envelope, events: own } = readSchemas(dir);
  const events = [...own, ...(options.extraDirs ?? []).flatMap(readEventSchemas)];
  const ajv = createAjv();
  const checkEnvelope = ajv.compile<EventEnvelope>(envelope.schema);
  const byName = new Map<string, Map<number, ValidateFunction<AnyEvent>>>();
  for (const file of events) {
    const versions = byName.get(file.name) ?? new Map<number, ValidateFunction<AnyEvent>>();
    if (versions.has(file.version)) throw configError(`${file.name} v${file.version} has two schemas`);
    versions.set(file.version, ajv.compile<AnyEvent>(file.schema));
    byName.set(file.name, versions);
  }
  const names = [...byName.keys()].sort();

  const validate = (input: unknown): ValidationResult => {
    if (!checkEnvelope(input)) return failure(checkEnvelope.errors);
    const check = byName.get(input.event_name)?.get(input.event_version);
    if (check === undefined) return unknownEvent(input.event_name, input.event_version);
    return check(input) ? { ok: true, event: input } : failure(check.errors);
  };

  return {
    validate,
    assertValid: (input) => {
      const result = validate(input);
      if (result.ok) return result.event;
      throw new AppError('event.invalid', `invalid event${label(input)}: ${result.reason}`, { issues: result.issues });
    },
    has: (name, version) => byName.get(name)?.has(version) ?? false,
    versions: (name) => [...(byName.get(name)?.keys() ?? [])],
    names: () => names,
  };
};

/** A registry that `load`s itself on first use, once: importing it compiles nothing. */
export const lazyRegistry = (load: () => SchemaRegistry): SchemaRegistry => {
  let loaded: SchemaRegistry | undefined;
  const get = (): SchemaRegistry => (loaded ??= load());
  return {
    validate: (input) => get().validate(input),
    assertValid: (input) => get().assertValid(input),
    has: (name, version) => get().has(name, version),
    versions: (name) => get().versions(name),
    names: () => get().names(),
  };
};

/** The registry of this package's schemas, loaded on first use. */
export const registry: SchemaRegistry = lazyRegistry(() => loadRegistry());
