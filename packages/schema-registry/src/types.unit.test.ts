import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { generateTypes, generatedTypesPath } from './codegen.js';
import { newEnvelope } from './index.js';
import type { AnyEvent, DataOf, EventName, EventOf, VersionOf } from './index.js';

/** Compiles only if narrowing on event_name, then event_version, reaches the v2-only jira_id. */
const jiraIdOf = (event: AnyEvent): string | null | undefined => {
  switch (event.event_name) {
    case 'Task.Created':
      if (event.event_version === 2) return event.data.jira_id;
      // @ts-expect-error: v1 has no jira_id (the id is still inside the title)
      return event.data.jira_id;
    default:
      return undefined;
  }
};

describe('generated types', () => {
  it('events.generated.ts is up to date with the schemas (regenerate: npx tsx packages/schema-registry/src/generate-types.ts)', async () => {
    expect(readFileSync(generatedTypesPath, 'utf8')).toBe(await generateTypes());
  }, 30_000);

  it('narrow on event_name and event_version', () => {
    const created = newEnvelope(
      'Task.Created',
      2,
      {
        public_id: '00000000-0000-4000-8000-000000000002',
        title: 'Change the green',
        jira_id: 'UBERPOP-42',
        description: '',
        status: 'open',
        assignee_id: '00000000-0000-4000-8000-000000000001',
        created_at: '2024-03-03T10:15:00.000Z',
      },
      { producer: 'tracker' },
    );
    expect(jiraIdOf(created)).toBe('UBERPOP-42');
  });

  it('derive names, versions and data from the event map', () => {
    expectTypeOf<VersionOf<'Task.Created'>>().toEqualTypeOf<1 | 2>();
    expectTypeOf<VersionOf<'Task.Assigned'>>().toEqualTypeOf<1>();
    expectTypeOf<EventOf<'Task.Created', 2>['event_version']>().toEqualTypeOf<2>();
    expectTypeOf<DataOf<'Task.Created', 2>['jira_id']>().toEqualTypeOf<string | null>();
    expectTypeOf<DataOf<'Task.Assigned', 1>['previous_assignee_id']>().toEqualTypeOf<string | null>();
    expectTypeOf<DataOf<'Account.Created', 1>['role']>().toEqualTypeOf<'admin' | 'manager' | 'accountant' | 'worker'>();
    expectTypeOf<AnyEvent['event_name']>().toEqualTypeOf<EventName>();
    expectTypeOf<'Foo.Bar'>().not.toExtend<EventName>();
  });

  it('are readonly', () => {
    const deactivated = newEnvelope(
      'Account.Deactivated',
      1,
      { public_id: '00000000-0000-4000-8000-000000000001', version: 2, deactivated_at: '2024-03-03T10:15:00.000Z' },
      { producer: 'auth' },
    );
    // @ts-expect-error: envelope fields are readonly
    deactivated.event_id = 'other';
    // @ts-expect-error: data fields are readonly
    deactivated.data.deactivated_at = 'other';
    expect(deactivated.data.deactivated_at).toBe('other');
  });

  it('reject wrong data at compile time', () => {
    // @ts-expect-error: Task.Created v1 has no jira_id
    const wrong = () => newEnvelope('Task.Created', 1, { jira_id: null }, { producer: 'tracker' });
    // @ts-expect-error: there is no Task.Created v3
    const missing = () => newEnvelope('Task.Created', 3, {}, { producer: 'tracker' });
    expect([wrong, missing]).toHaveLength(2);
  });
});
