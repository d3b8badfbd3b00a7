import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '@ates/errors';
import { eventSchemaPath, loadRegistry, registry } from './index.js';
import type { DataOf, EventName, VersionOf } from './index.js';

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = '2024-03-03T10:15:00.000Z';

/**
 * The events of this package's schemas. Tests elsewhere add events of their own, named Test.…,
 * to the types (`EventMap`) and to a registry of theirs (`testRegistry` of @ates/event-bus/testing).
 */
type RegistryEventName = Exclude<EventName, `Test.${string}`>;

/** One valid data object for every event version: a new schema file needs a line here. */
const samples: { [N in RegistryEventName]: { [V in VersionOf<N>]: DataOf<N, V> } } = {
  'Account.Created': {
    1: {
      public_id: id(1),
      email: 'popug@example.com',
      full_name: 'Popug',
      role: 'worker',
      active: true,
      version: 1,
      created_at: at,
    },
  },
  'Account.Updated': {
    1: {
      public_id: id(1),
      email: 'popug@example.com',
      full_name: 'Popug',
      role: 'manager',
      active: true,
      version: 2,
      updated_at: at,
    },
  },
  'Account.Deactivated': { 1: { public_id: id(1), version: 3, deactivated_at: at } },
  'Account.RoleChanged': {
    1: { public_id: id(1), old_role: 'worker', new_role: 'manager', version: 2, changed_at: at },
  },
  'Task.Created': {
    1: {
      public_id: id(2),
      title: '[UBERPOP-42] — Change the green',
      description: '',
      status: 'open',
      assignee_id: id(1),
      created_at: at,
    },
    2: {
      public_id: id(2),
      title: 'Change the green',
      jira_id: 'UBERPOP-42',
      description: 'of the button',
      status: 'open',
      assignee_id: id(1),
      created_at: at,
    },
  },
  'Task.Assigned': { 1: { task_id: id(2), assignee_id: id(1), previous_assignee_id: null, assigned_at: at } },
  'Task.Completed': { 1: { task_id: id(2), assignee_id: id(1), completed_at: at } },
  'Task.Priced': { 1: { task_id: id(2), assignment_fee: 1500, completion_reward: 3200, priced_at: at } },
  'Transaction.Applied': {
    1: {
      transaction_id: id(3),
      account_id: id(1),
      kind: 'fee',
      amount: -1500,
      balance_after: -1500,
      account_version: 1,
      task_id: id(2),
      reverses: null,
      business_day: '2026-03-03',
      occurred_at: at,
      recorded_at: at,
    },
  },
  'Payout.Made': {
    1: { transaction_id: id(4), account_id: id(1), amount: 2300, business_day: '2026-03-03', paid_at: at },
  },
  'BusinessDay.Closed': {
    1: {
      business_day: '2026-03-03',
      fees: 4500,
      rewards: 3200,
      management_earnings: 1300,
      payouts: 2300,
      payout_count: 1,
      negative_accounts: 2,
      closed_at: at,
    },
  },
};

const envelope = (name: string, version: number, data: unknown): Record<string, unknown> => ({
  event_id: id(100),
  event_name: name,
  event_version: version,
  event_time: at,
  producer: 'tracker',
  correlation_id: id(100),
  causation_id: null,
  data,
});

const taskCreatedV2 = envelope('Task.Created', 2, samples['Task.Created'][2]);
const withData = (patch: Record<string, unknown>): Record<string, unknown> => ({
  ...taskCreatedV2,
  data: { ...samples['Task.Created'][2], ...patch },
});
const without = (event: Record<string, unknown>, field: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(event).filter(([key]) => key !== field));

const reasonOf = (input: unknown): string => {
  const result = registry.validate(input);
  return result.ok ? 'valid' : result.reason;
};

describe('registry', () => {
  it('knows every schema file, and has a sample for each', () => {
    expect(registry.names()).toEqual(Object.keys(samples).sort());
    expect(registry.versions('Task.Created')).toEqual([1, 2]);
    expect(registry.versions('Nope.Never')).toEqual([]);
    expect(registry.has('Task.Created', 2)).toBe(true);
    expect(registry.has('Task.Created', 3)).toBe(false);
    for (const name of registry.names()) {
      const versions = Object.keys(samples[name as RegistryEventName]).map(Number);
      expect(registry.versions(name), name).toEqual(versions);
    }
  });

  it('accepts a valid event of every name and version', () => {
    for (const [name, versions] of Object.entries(samples)) {
      for (const [version, data] of Object.entries(versions)) {
        expect(reasonOf(envelope(name, Number(version), data)), `${name} v${version}`).toBe('valid');
      }
    }
  });

  it('accepts a traceparent, a causation id, a nullable field set', () => {
    const event = {
      ...taskCreatedV2,
      causation_id: id(7),
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    };
    expect(reasonOf(event)).toBe('valid');
    expect(reasonOf(withData({ jira_id: null }))).toBe('valid');
    expect(
      reasonOf(envelope('Task.Assigned', 1, { ...samples['Task.Assigned'][1], previous_assignee_id: id(9) })),
    ).toBe('valid');
  });

  it('returns the validated event itself', () => {
    const result = registry.validate(taskCreatedV2);
    expect(result).toEqual({ ok: true, event: taskCreatedV2 });
  });

  it('names a missing or malformed envelope field before looking at the name', () => {
    expect(reasonOf(without(taskCreatedV2, 'event_id'))).toBe('missing envelope field event_id');
    expect(reasonOf(without({ ...taskCreatedV2, event_name: 'Foo.Bar' }, 'causation_id'))).toBe(
      'missing envelope field causation_id',
    );
    expect(reasonOf({ ...taskCreatedV2, event_id: 'nope' })).toBe('envelope field event_id must match format "uuid"');
    expect(reasonOf({ ...taskCreatedV2, event_version: 0 })).toBe('envelope field event_version must be >= 1');
    expect(reasonOf({ ...taskCreatedV2, event_time: '2024-03-03T11:15:00+01:00' })).toBe(
      'envelope field event_time must match pattern "Z$"',
    );
    expect(reasonOf({ ...taskCreatedV2, traceparent: 'nope' })).toMatch(
      /^envelope field traceparent must match pattern/,
    );
    expect(reasonOf({ ...taskCreatedV2, extra: 1 })).toBe('unexpected envelope field extra');
    expect(reasonOf({ ...taskCreatedV2, data: [] })).toBe('envelope field data must be object');
    expect(reasonOf('{"event_id": 1}')).toBe('event must be object');
    expect(reasonOf(null)).toBe('event must be object');
  });

  it('names an unknown event name or version', () => {
    expect(reasonOf({ ...taskCreatedV2, event_name: 'Foo.Bar', event_version: 1 })).toBe('unknown event Foo.Bar v1');
    expect(reasonOf({ ...taskCreatedV2, event_version: 3 })).toBe('unknown event Task.Created v3');
  });

  it('names the data field at fault', () => {
    expect(reasonOf(withData({ assignee_id: 42 }))).toBe('data.assignee_id must be string');
    expect(reasonOf(withData({ jira_id: 42 }))).toBe('data.jira_id must be string or null');
    expect(reasonOf(withData({ status: 'closed' }))).toBe('data.status must be one of "open", "done"');
    expect(reasonOf(withData({ created_at: 'yesterday' }))).toBe('data.created_at must match format "date-time"');
    expect(reasonOf(withData({ extra: 'x' }))).toBe('unexpected data field extra');
    expect(reasonOf({ ...taskCreatedV2, data: without(samples['Task.Created'][2], 'jira_id') })).toBe(
      'missing data field jira_id',
    );
  });

  it('enforces T6 on Task.Created v2 but not on v1', () => {
    const title = '[UBERPOP-42] — Change the green';
    expect(reasonOf(withData({ title }))).toBe('data.title must match pattern "^[^\\[\\]]*$"');
    expect(reasonOf(withData({ title: 'a ] b' }))).toMatch(/^data\.title must match pattern/);
    expect(reasonOf(withData({ title: '' }))).toBe('data.title must NOT have fewer than 1 characters');
    expect(reasonOf(withData({ title: 'x'.repeat(201) }))).toBe('data.title must NOT have more than 200 characters');
    expect(reasonOf(withData({ jira_id: 'uberpop-42' }))).toMatch(/^data\.jira_id must match pattern/);
    expect(reasonOf(envelope('Task.Created', 1, { ...samples['Task.Created'][1], title }))).toBe('valid');
    expect(reasonOf(envelope('Task.Created', 1, { ...samples['Task.Created'][2], title: 'x' }))).toBe(
      'unexpected data field jira_id',
    );
  });

  it('lists the issues with the reason', () => {
    expect(registry.validate(withData({ extra: 'x' }))).toEqual({
      ok: false,
      reason: 'unexpected data field extra',
      issues: [{ field: 'data.extra', message: 'is not allowed' }],
    });
  });

  it('assertValid returns the event or throws invalid_event', () => {
    expect(registry.assertValid(taskCreatedV2)).toBe(taskCreatedV2);
    let caught: unknown;
    try {
      registry.assertValid(withData({ title: '[X-1] y' }));
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.code).toBe('event.invalid');
    expect(isAppError(caught) && caught.message).toMatch(
      /^invalid event Task\.Created v2: data\.title must match pattern/,
    );
    expect(isAppError(caught) && caught.issues).toEqual([
      { field: 'data.title', message: expect.stringMatching(/^must match/) },
    ]);
  });

  it('loadRegistry compiles a fresh registry from a folder', () => {
    const fresh = loadRegistry();
    expect(fresh.names()).toEqual(registry.names());
    expect(fresh.validate(taskCreatedV2).ok).toBe(true);
  });

  it('knows the events of extra folders besides its own, and refuses a version defined twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ates-schemas-'));
    try {
      const schema = (name: string) => ({
        $id: `https://ates.example/schemas/${eventSchemaPath(name, 1)}`,
        $ref: '../../envelope.json',
        type: 'object',
        properties: {
          event_name: { const: name },
          event_version: { const: 1 },
          data: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
        },
      });
      mkdirSync(join(dir, 'test/poked'), { recursive: true });
      writeFileSync(join(dir, eventSchemaPath('Test.Poked', 1)), JSON.stringify(schema('Test.Poked')));
      const extended = loadRegistry(undefined, { extraDirs: [dir] });
      expect(extended.names()).toEqual([...registry.names(), 'Test.Poked'].sort());
      const poke = { ...taskCreatedV2, event_name: 'Test.Poked', event_version: 1, data: { n: 1 } };
      expect(extended.validate(poke).ok).toBe(true);
      expect(registry.validate(poke)).toMatchObject({ ok: false, reason: 'unknown event Test.Poked v1' });
      expect(extended.validate({ ...poke, data: {} }).ok).toBe(false);

      mkdirSync(join(dir, 'task/priced'), { recursive: true });
      writeFileSync(join(dir, eventSchemaPath('Task.Priced', 1)), JSON.stringify(schema('Task.Priced')));
      expect(() => loadRegistry(undefined, { extraDirs: [dir] })).toThrow('Task.Priced v1 has two schemas');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
