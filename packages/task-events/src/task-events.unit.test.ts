import { describe, expect, it } from 'vitest';
import { newEnvelope } from '@ates/schema-registry';
import { splitLegacyTitle, taskCreatedData } from './index.js';

describe('splitLegacyTitle', () => {
  it.each([
    ['[UBERPOP-42] — Change the green of the button', 'UBERPOP-42', 'Change the green of the button'],
    ['[UBERPOP-42] - Change the green', 'UBERPOP-42', 'Change the green'],
    ['[ABC-1] Fix it', 'ABC-1', 'Fix it'],
    ['  [X2-10] –  Dash variants', 'X2-10', 'Dash variants'],
  ])('%s → %s / %s', (old, jiraId, title) => {
    expect(splitLegacyTitle(old)).toEqual({ jiraId, title });
  });

  it.each(['Plain title', '[not-a-key] title', 'Fix [UBERPOP-1] in the middle', '[UBERPOP-1] — has [brackets] after'])(
    'leaves %s as it is',
    (title) => {
      expect(splitLegacyTitle(title)).toEqual({ title, jiraId: null });
    },
  );
});

describe('taskCreatedData', () => {
  const base = {
    public_id: '44444444-4444-4444-8444-444444444444',
    description: 'd',
    status: 'open' as const,
    assignee_id: '11111111-1111-4111-8111-111111111111',
    created_at: '2026-03-03T10:00:00.000Z',
  };

  it('reads v1 and the equivalent v2 the same way', () => {
    const v1 = newEnvelope(
      'Task.Created',
      1,
      { ...base, title: '[UBERPOP-42] — Change the green' },
      { producer: 'tracker' },
    );
    const v2 = newEnvelope(
      'Task.Created',
      2,
      { ...base, title: 'Change the green', jira_id: 'UBERPOP-42' },
      { producer: 'tracker' },
    );
    expect(taskCreatedData(v1)).toEqual(taskCreatedData(v2));
  });
});
