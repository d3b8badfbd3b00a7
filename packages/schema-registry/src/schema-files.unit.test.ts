import { cpSync, mkdtempSync, readFileSync, renameSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '@ates/errors';
import { loadRegistry } from './registry.js';
import { defaultSchemasDir, eventSchemaPath, isObject, readSchemas } from './schema-files.js';
import type { JsonObject } from './schema-files.js';

const { envelope, events } = readSchemas();
const base = 'https://ates.example/schemas/';
const objectAt = (schema: JsonObject, key: string): JsonObject => {
  const value = schema[key];
  return isObject(value) ? value : {};
};

describe('schema files', () => {
  it('map event names to kebab-case folders', () => {
    expect(eventSchemaPath('Account.RoleChanged', 1)).toBe('account/role-changed/1.json');
    expect(eventSchemaPath('Task.Created', 2)).toBe('task/created/2.json');
  });

  it('are draft 2020-12 with an $id that matches their path', () => {
    for (const file of [envelope, ...events]) {
      expect(file.schema['$schema'], file.path).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(file.schema['$id'], file.path).toBe(`${base}${file.path}`);
      expect(typeof file.schema['description'], file.path).toBe('string');
    }
    for (const file of events) expect(file.schema['title'], file.path).toBe(`${file.name} v${file.version}`);
  });

  it('reference the envelope and define only event_name, event_version and data', () => {
    for (const { path, schema } of events) {
      expect(schema['$ref'], path).toBe('../../envelope.json');
      expect(Object.keys(objectAt(schema, 'properties')), path).toEqual(['event_name', 'event_version', 'data']);
    }
  });

  it('define closed, documented data', () => {
    for (const { path, schema } of events) {
      const data = objectAt(objectAt(schema, 'properties'), 'data');
      const properties = objectAt(data, 'properties');
      expect(data['additionalProperties'], path).toBe(false);
      const required = data['required'];
      expect(Array.isArray(required), path).toBe(true);
      for (const field of Array.isArray(required) ? required : [])
        expect(Object.keys(properties), `${path} ${field}`).toContain(field);
      for (const [field, property] of Object.entries(properties)) {
        expect(isObject(property) && typeof property['description'], `${path} ${field}`).toBe('string');
        expect(isObject(property) && property['title'], `${path} ${field}: no title, it would become a type name`).toBe(
          undefined,
        );
      }
    }
  });

  it('reject a schema whose path does not match its name and version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-files-'));
    try {
      cpSync(defaultSchemasDir, dir, { recursive: true });
      mkdirSync(join(dir, 'task/made'));
      renameSync(join(dir, 'task/created/2.json'), join(dir, 'task/made/2.json'));
      let caught: unknown;
      try {
        loadRegistry(dir);
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught) && caught.code).toBe('config.invalid');
      expect(isAppError(caught) && caught.message).toBe(
        'schema of Task.Created v2 must live at task/created/2.json, not task/made/2.json',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are plain JSON with a trailing newline', () => {
    for (const { path } of [envelope, ...events]) {
      expect(readFileSync(join(defaultSchemasDir, path), 'utf8').endsWith('}\n'), path).toBe(true);
    }
  });
});
