import { describe, expect, it } from 'vitest';
import { parseTaskForm, taskFormValues } from './task-form.js';

const form = (values: Partial<Record<'title' | 'jira_id' | 'description', string>>) =>
  parseTaskForm(taskFormValues({ title: '', jira_id: '', description: '', ...values }));

describe('the create form, checked by the API schema', () => {
  it('accepts a title, an optional Jira id and a description, trimming the title and id', () => {
    expect(
      form({ title: '  Change the green of the button ', jira_id: ' UBERPOP-42 ', description: 'Greener.' }),
    ).toEqual({
      ok: true,
      input: { title: 'Change the green of the button', jiraId: 'UBERPOP-42', description: 'Greener.' },
    });
    expect(form({ title: 'Refill the millet' })).toEqual({
      ok: true,
      input: { title: 'Refill the millet', jiraId: null, description: '' },
    });
  });

  it('names each bad field with a sentence for people', () => {
    expect(form({ title: '[UBERPOP-42] Change the green' })).toEqual({
      ok: false,
      errors: { title: 'A title cannot contain [ or ]: put the Jira id in its own field.' },
    });
    expect(form({ title: '   ' })).toEqual({ ok: false, errors: { title: 'Enter a title.' } });
    expect(form({ title: 'x'.repeat(201) })).toEqual({
      ok: false,
      errors: { title: 'Keep the title to 200 characters or fewer.' },
    });
    expect(form({ title: 'Fine', jira_id: 'uberpop 42' })).toEqual({
      ok: false,
      errors: { jira_id: 'A Jira id looks like UBERPOP-42: capital letters, a dash, then digits.' },
    });
    expect(form({ title: 'Fine', description: 'd'.repeat(10_001) })).toEqual({
      ok: false,
      errors: { description: 'Keep the description to 10,000 characters or fewer.' },
    });
    expect(form({ title: '', jira_id: 'X' })).toEqual({
      ok: false,
      errors: {
        title: 'Enter a title.',
        jira_id: 'A Jira id looks like UBERPOP-42: capital letters, a dash, then digits.',
      },
    });
  });

  it('reads only its own fields, as strings, from a posted body', () => {
    expect(
      taskFormValues({ title: 'T', jira_id: ['A-1'], description: undefined, _csrf: 'token', extra: 'x' }),
    ).toEqual({ title: 'T', jira_id: '', description: '' });
    expect(taskFormValues(undefined)).toEqual({ title: '', jira_id: '', description: '' });
  });

  it('counts characters as the API does (code points, not UTF-16 units)', () => {
    expect(form({ title: '🦜'.repeat(200) }).ok).toBe(true);
    expect(form({ title: '🦜'.repeat(201) }).ok).toBe(false);
  });
});
