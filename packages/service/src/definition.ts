import type { Kysely } from 'kysely';
import type { Migration } from '@ates/db';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { ConfigOf, Spec } from '@ates/config';
import type { ServiceApp, ReadinessCheck } from '@ates/http';
import type { Logger } from '@ates/logger';
import type { CommonConfig } from './common-config.js';

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
  /** Adds a dependency to `/health/ready`. */
  addReadiness(check: ReadinessCheck): void;
  /** Registers cleanup, run in reverse order after HTTP has stopped taking requests. */
  onStop(stop: () => Promise<void>): void;
}

/**
 * A service, declared once: its name, default port, extra environment variables, migrations
 * folder, and `setup`, which registers routes and starts background work.
 */
export interface ServiceDefinition<S extends Spec = Spec, DB = unknown> {
  readonly name: ServiceName;
  readonly description: string;
  readonly defaultPort: number;
  readonly env: S;
  /** The service's own migrations, in order (listed in `migrations/index.ts`). */
  readonly migrations: readonly Migration[];
  readonly setup: (context: ServiceContext<S, DB>) => Promise<void>;
}

export const defineService = <S extends Spec, DB>(definition: ServiceDefinition<S, DB>): ServiceDefinition<S, DB> => definition;
