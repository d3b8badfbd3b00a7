import { fileURLToPath } from 'node:url';
import {
  defaultSchemasDir,
  lazyRegistry,
  loadRegistry,
  type EventEnvelope,
  type SchemaRegistry,
} from '@ates/schema-registry';

// Events that exist only for tests: their schemas live in this package's test-schemas/, not in
// the production registry, so no service can publish them and the event catalog does not list
// them. Tests use `testRegistry`, the production schemas plus these, wherever they publish or
// consume one (publish's, startConsumer's and deliverTo's `registry` option).

/** Where the test-only event schemas are, laid out as the registry's schemas/ is. */
export const testSchemasDir = fileURLToPath(new URL('../test-schemas', import.meta.url));

type TestEnvelope<N extends string, V extends number, D> = Omit<
  EventEnvelope,
  'event_name' | 'event_version' | 'data'
> & { readonly event_name: N; readonly event_version: V; readonly data: D };

/** test-schemas/test/pinged/1.json: sent by the event-bus tests to check delivery, ordering and retries. */
export type TestPingedV1 = TestEnvelope<'Test.Pinged', 1, { readonly producer_seq: number; readonly note: string }>;
/** test-schemas/test/pinged/2.json: a second version, to check that two versions of one event coexist. */
export type TestPingedV2 = TestEnvelope<
  'Test.Pinged',
  2,
  { readonly producer_seq: number; readonly note: string; readonly extra: string }
>;

// The test events are typed like the registry's own, for the tests that use them (the types only:
// at run time only `testRegistry` knows them).
declare module '@ates/schema-registry' {
  interface EventMap {
    'Test.Pinged': { 1: TestPingedV1; 2: TestPingedV2 };
  }
}

/** The production schemas and the test-only ones (`Test.Pinged` v1 and v2), loaded on first use. */
export const testRegistry: SchemaRegistry = lazyRegistry(() =>
  loadRegistry(defaultSchemasDir, { extraDirs: [testSchemasDir] }),
);
