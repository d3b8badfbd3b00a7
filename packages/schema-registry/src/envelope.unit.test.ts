import { describe, expect, it } from 'vitest';
import { newEnvelope, registry } from './index.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const data = {
  public_id: '00000000-0000-4000-8000-000000000002',
  title: 'Change the green',
  jira_id: null,
  description: '',
  status: 'open',
  assignee_id: '00000000-0000-4000-8000-000000000001',
  created_at: '2024-03-03T10:15:00.000Z',
} as const;

describe('newEnvelope', () => {
  it('fills the envelope, and the result validates', () => {
    const event = newEnvelope('Task.Created', 2, data, { producer: 'tracker' });
    expect(event).toMatchObject({
      event_name: 'Task.Created',
      event_version: 2,
      producer: 'tracker',
      causation_id: null,
      data,
    });
    expect(event.event_id).toMatch(uuid);
    expect(event.correlation_id).toBe(event.event_id);
    expect(Date.now() - Date.parse(event.event_time)).toBeLessThan(5_000);
    expect(event.event_time).toMatch(/Z$/);
    expect('traceparent' in event).toBe(false);
    expect(registry.validate(event)).toEqual({ ok: true, event });
  });

  it('carries correlation, causation and trace context over', () => {
    const cause = newEnvelope('Task.Created', 2, data, { producer: 'tracker' });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const effect = newEnvelope(
      'Task.Priced',
      1,
      { task_id: data.public_id, assignment_fee: 1500, completion_reward: 3200, priced_at: data.created_at },
      { producer: 'accounting', correlationId: cause.correlation_id, causationId: cause.event_id, traceparent },
    );
    expect(effect).toMatchObject({ correlation_id: cause.event_id, causation_id: cause.event_id, traceparent });
    expect(effect.event_id).not.toBe(cause.event_id);
    expect(registry.validate(effect).ok).toBe(true);
  });

  it('produces events that the registry rejects when the data is wrong at run time', () => {
    const event = newEnvelope('Task.Created', 2, { ...data, title: '[UBERPOP-42] x' }, { producer: 'tracker' });
    expect(registry.validate(event)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^data\.title must match/),
    });
  });
});
