/**
 * Fuzzing every JSON endpoint of a running aTES service from its own OpenAPI document; see
 * fuzz.ts for what is checked, and docs/security.md.
 */
export { fuzzService } from './fuzz.js';
export type { FuzzReport, FuzzTarget } from './fuzz.js';
export { documents, operationsOf, resolveRefs } from './openapi.js';
export type { JsonSchema, OpenApiDocument, Operation } from './openapi.js';
export { tableFingerprint } from './snapshot.js';
export type { FingerprintOptions } from './snapshot.js';
