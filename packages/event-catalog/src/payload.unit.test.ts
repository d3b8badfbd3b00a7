import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { isAppError } from '@ates/errors';
import { newEnvelope, readSchemas, registry, type EventSchemaFile, type JsonObject } from '@ates/schema-registry';
import { resolvePayload } from './payload.js';

const { envelope, events } = readSchemas();
const fileOf = (name: string, version: number): EventSchemaFile => {
  const file = events.find((f) => f.name === name && f.version === version);
  if (!file) throw new Error(`no schema ${name} v${version}`);
  return file;
};

// An AsyncAPI 3.0 payload is a draft-07 schema: check the resolved schema with draft-07 Ajv.
const ajv = new Ajv({ strict: true, allowUnionTypes: true });
ajvFormats.default(ajv);
const draft07 = (schema: JsonObject) => ajv.compile(schema);

const taskCreated = newEnvelope(
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

describe('resolvePayload', () => {
  it('accepts and refuses what the registry accepts and refuses (Task.Created v2)', () => {
    const valid = draft07(resolvePayload(envelope.schema, fileOf('Task.Created', 2)));
    const cases: unknown[] = [
      taskCreated,
      { ...taskCreated, data: { ...taskCreated.data, title: '[UBERPOP-42] Change the green' } },
      { ...taskCreated, event_version: 1 },
      { ...taskCreated, event_name: 'Task.Assigned' },
      { ...taskCreated, data: { ...taskCreated.data, extra: 1 } },
      { ...taskCreated, unknown_envelope_field: 1 },
      { ...taskCreated, causation_id: undefined },
    ];
    const expected = [true, false, false, false, false, false, false];
    expect(cases.map((event) => registry.validate(event).ok)).toEqual(expected);
    expect(cases.map((event) => valid(event))).toEqual(expected);
  });

  it('is the envelope with the event fixing its name and version and defining its data, for every event', () => {
    const base = envelope.schema['properties'] as Record<string, JsonObject>;
    for (const file of events) {
      const payload = resolvePayload(envelope.schema, file);
      const properties = payload['properties'] as Record<string, JsonObject>;
      const own = file.schema['properties'] as Record<string, JsonObject>;
      expect(Object.keys(properties)).toEqual(Object.keys(base));
      expect(properties['event_name']).toEqual({ ...base['event_name'], const: file.name });
      expect(properties['event_version']).toEqual({ ...base['event_version'], const: file.version });
      expect(properties['data']).toEqual({ ...base['data'], ...own['data'] });
      expect(payload).toMatchObject({ title: file.schema['title'], required: envelope.schema['required'] });
      expect(JSON.stringify(payload)).not.toMatch(/"\$(ref|schema|id)"/);
    }
  });

  it('refuses an event that would change an envelope rule rather than merge it', () => {
    const file = fileOf('Task.Assigned', 1);
    const narrowing = { ...(file.schema['properties'] as JsonObject), producer: { maxLength: 8 } };
    const changed = { ...file, schema: { ...file.schema, properties: narrowing } };
    const error = (() => {
      try {
        resolvePayload(envelope.schema, changed);
      } catch (caught) {
        return caught;
      }
    })();
    expect(isAppError(error) && error.message).toBe(
      "schema task/assigned/1.json: producer.maxLength differs from the envelope's; the catalog cannot merge them",
    );
  });

  it('refuses keywords it does not know how to resolve, and a field the envelope does not have', () => {
    const file = fileOf('Task.Assigned', 1);
    expect(() => resolvePayload(envelope.schema, { ...file, schema: { ...file.schema, allOf: [] } })).toThrow(
      'the catalog does not know allOf',
    );
    const extra = { ...(file.schema['properties'] as JsonObject), shard: { type: 'integer' } };
    expect(() => resolvePayload(envelope.schema, { ...file, schema: { ...file.schema, properties: extra } })).toThrow(
      'shard is not an envelope field',
    );
  });
});
