import { describe, expect, it } from 'vitest';
import { describeType, fieldRows } from './fields.js';

describe('describeType', () => {
  it.each([
    [{ type: 'string', format: 'uuid' }, 'string (uuid)'],
    [{ type: ['string', 'null'], format: 'uuid' }, 'string (uuid) or null'],
    [{ type: 'integer', minimum: 1 }, 'integer'],
    [{ enum: ['open', 'done'] }, '"open" | "done"'],
    [{ const: 'Task.Created' }, '"Task.Created"'],
    [{ oneOf: [{ type: 'null' }, { type: 'object' }] }, 'null or object'],
    [{ type: 'array', items: { type: 'string', format: 'date' } }, 'array of string (date)'],
    [{}, 'any'],
  ])('%j is %s', (schema, text) => {
    expect(describeType(schema)).toBe(text);
  });
});

describe('fieldRows', () => {
  it('lists fields depth first with dotted paths, their rules, whether required, and their meaning', () => {
    const rows = fieldRows({
      type: 'object',
      properties: {
        title: { description: 'The title.', type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\[\\]]*$' },
        note: { description: 'Free text.', type: 'string', minLength: 1 },
        reverses: {
          description: 'What it undoes.',
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              properties: { kind: { description: 'Its kind.', enum: ['fee', 'reward'] } },
              required: ['kind'],
            },
          ],
        },
      },
      required: ['title', 'reverses'],
    });
    expect(rows).toEqual([
      {
        path: 'title',
        type: 'string',
        rules: '1–200 characters, matches ^[^\\[\\]]*$',
        required: true,
        description: 'The title.',
      },
      { path: 'note', type: 'string', rules: 'not empty', required: false, description: 'Free text.' },
      { path: 'reverses', type: 'null or object', rules: '', required: true, description: 'What it undoes.' },
      { path: 'reverses.kind', type: '"fee" | "reward"', rules: '', required: true, description: 'Its kind.' },
    ]);
  });
});
