import type { Kysely } from 'kysely';
import type { Migration } from '@ates/db';
import type { ConsumerDefinition, publish, publishMany } from '@ates/event-bus';
import type { EventName, VersionOf } from '@ates/schema-registry';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { ConfigOf, Spec } from '@ates/config';
import type { ServiceApp, ReadinessCheck } from '@ates/http';
import type { Logger } from '@ates/logger';
import { commonEnv, type CommonConfig } from './common-config.js';

export const serviceNames = ['auth', 'tracker', 'accounting', 'analytics'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** What a service's `setup` receives: everything already connected, migrated and configured. */
export interface ServiceContext<S extends Spec, DB> {
  readonly name: ServiceName;
  readonly config: ConfigOf<S> & CommonConfig;
  readonly logger: Logger;
  readonly pool: pg.Pool;
  readonly db: Kysely<DB>;
  readonly app: ServiceApp;
  readonly metrics: Registry;
  /**
   * Producing events: `publish(tx, event)` / `publishMany(tx, events)` validate and write to the
   * outbox inside the caller's transaction; the relay sends them after the commit.
   */
  readonly bus: {
    readonly publish: typeof publish;
    readonly publishMany: typeof publishMany;
    /**
     * For events written with `outboxInsert(events, { wake: 'caller' })`: call once their
     * transaction has committed. Coalesces: many commits cost one wake-up.
     */
    readonly wakeRelay: () => void;
  };
  /** Adds a dependency to `/health/ready`. */
  addReadiness(check: ReadinessCheck): void;
  /** Registers cleanup, run in reverse order after HTTP has stopped taking requests. */
  onStop(stop: () => Promise<void>): void;
}

/**
 * The versions of one event a service publishes. `versions` are those it publishes now;
 * `retired` those it published in earlier releases and no longer does: their events may still sit
 * in outboxes and be replayed, so consumers keep accepting them (Task.Created v1 since T6).
 */
export interface ProducedEvent<N extends EventName> {
  readonly versions: readonly VersionOf<N>[];
  readonly retired?: readonly VersionOf<N>[];
}

/** The events a service publishes, by name: what the event catalog names it the producer of. */
export type ProducedEvents = { readonly [N in EventName]?: ProducedEvent<N> };

/**
 * A service, declared once: its name, default port, extra environment variables, migrations,
 * the consumers it runs, and `setup`, which registers routes and starts background work.
 */
export interface ServiceDefinition<S extends Spec = Spec, DB = unknown> {
  readonly name: ServiceName;
  readonly description: string;
  readonly defaultPort: number;
  readonly env: S;
  /** The service's own migrations, in order (listed in `migrations/index.ts`). */
  readonly migrations: readonly Migration[];
  /**
   * The consumer groups this service runs (`consumer({...})` from @ates/event-bus): each is
   * subscribed at startup and stopped after HTTP. The event bus's own tables (outbox, inbox,
   * dead letters) are migrated before the service's migrations.
   */
  readonly consumers?: readonly ConsumerDefinition<DB>[];
  /**
   * Consumers that need the service's configuration (accounting's business-day calendar), built
   * from it before the event bus starts; they run beside `consumers`. Their names and events
   * must not depend on the configuration, only their behaviour: what reads a service's groups
   * without running it builds them from the variables' defaults (`declaredConsumers`).
   */
  consumersFor?(config: ConfigOf<S> & CommonConfig): readonly ConsumerDefinition<DB>[];
  /**
   * The events this service publishes (and has published), by name and version. Nothing checks
   * it at runtime: it is the service's word, which the event catalog (`npm run docs:events`,
   * `/docs/events`) turns into who produces what.
   */
  readonly produces?: ProducedEvents;
  // Method syntax on purpose: a definition with its own variables (S) stays assignable to the
  // plain `ServiceDefinition` the CLI's loaders return.
  setup(context: ServiceContext<S, DB>): Promise<void>;
}

export const defineService = <S extends Spec, DB>(definition: ServiceDefinition<S, DB>): ServiceDefinition<S, DB> =>
  definition;

/**
 * Every consumer group of a service, for what reads them without running it (the event
 * catalog): `consumers`, and those of `consumersFor` built from the variables' defaults.
 */
export const declaredConsumers = <S extends Spec, DB>(
  definition: ServiceDefinition<S, DB>,
): ConsumerDefinition<DB>[] => {
  const spec: Spec = { ...commonEnv(definition.defaultPort), ...definition.env };
  const defaults = Object.fromEntries(
    Object.entries(spec).flatMap(([name, v]) => (v.default === undefined ? [] : [[name, v.parse(v.default)]])),
  ) as ConfigOf<S> & CommonConfig;
  return [...(definition.consumers ?? []), ...(definition.consumersFor?.(defaults) ?? [])];
};
