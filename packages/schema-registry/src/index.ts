/**
 * The schema registry: one JSON Schema per event per version (`schemas/`), the validator
 * producers and consumers run, and the event types generated from the same schemas.
 */
export { lazyRegistry, loadRegistry, registry } from './registry.js';
export type { RegistryOptions, SchemaRegistry, ValidationResult } from './registry.js';
export { envelopesOf, newEnvelope } from './envelope.js';
export type { AnyBareEvent, BareEvent, EnvelopeMeta, EnvelopesMeta } from './envelope.js';
export { defaultSchemasDir, eventSchemaPath, readEventSchemas, readSchemas } from './schema-files.js';
export type { EventSchemaFile, JsonObject, SchemaFile, SchemaSet } from './schema-files.js';
export type * from './events.generated.js';
