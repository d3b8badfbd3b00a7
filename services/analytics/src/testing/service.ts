import type { Kysely } from 'kysely';
import { createDb, createPool } from '@ates/db';
import type { Role } from '@ates/roles';
import { runService, type RunningService } from '@ates/service';
import { createTestDatabase, freePort, type TestDatabase } from '@ates/testing';
import { apiAudience } from '@ates/token-verifier';
import { createTestKey, startJwksServer } from '@ates/token-verifier/testing';
import type { AnalyticsDb } from '../db.js';
import { analyticsService } from '../service.js';
import { newId } from './fixtures.js';

export interface RunningAnalytics {
  readonly service: RunningService;
  /** The service's own database, to feed its consumers and look at its model. */
  readonly db: Kysely<AnalyticsDb>;
  readonly databaseUrl: string;
  readonly transportUrl: string;
  /** GET `path` as someone of `role`, with an access token the service accepts. */
  get(role: Role, path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * The real analytics service on a database and an event transport of its own, accepting access
 * tokens signed by a test key served as the auth service serves its keys. `env` adds to (or
 * overrides) its variables, e.g. the business-day calendar.
 */
export const startAnalytics = async (env: Record<string, string> = {}): Promise<RunningAnalytics> => {
  const databases: TestDatabase[] = await Promise.all([createTestDatabase('analytics'), createTestDatabase('bus')]);
  const [own, bus] = databases as [TestDatabase, TestDatabase];
  const key = await createTestKey('test-key');
  const jwks = await startJwksServer([key.publicJwk]);
  const issuer = jwks.url.replace(/\/oidc\/jwks$/, '');
  const service = await runService(analyticsService, {
    DATABASE_URL: own.url,
    EVENT_TRANSPORT_URL: bus.url,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_ISSUER: issuer,
    DASHBOARD_CLIENT_SECRET: 'c'.repeat(32),
    DASHBOARD_SESSION_SECRET: 's'.repeat(32),
    ...env,
  });
  const db = createDb<AnalyticsDb>(createPool(own.url, { max: 4 }));
  const tokens = new Map<Role, string>();
  return {
    service,
    db,
    databaseUrl: own.url,
    transportUrl: bus.url,
    get: async (role, path) => {
      let token = tokens.get(role);
      if (token === undefined) {
        const claims = { sub: newId(), role, name: role, email: `${role}@uberpopug.example` };
        token = await key.sign(claims, { issuer, audience: apiAudience });
        tokens.set(role, token);
      }
      const response = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    close: async () => {
      await service.stop();
      await db.destroy();
      await jwks.close();
      await Promise.all(databases.map((d) => d.drop()));
    },
  };
};
