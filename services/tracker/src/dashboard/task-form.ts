import { Ajv, type ErrorObject } from 'ajv';
import type { NewTaskInput } from '../tasks/decide.js';
import { NewTask } from '../tasks/routes.js';

/** What the create form posts, as typed (kept to show the form again when it is refused). */
export interface TaskFormValues {
  readonly title: string;
  readonly jira_id: string;
  readonly description: string;
}

export type TaskFormErrors = Partial<Record<keyof TaskFormValues, string>>;

export const emptyTaskForm: TaskFormValues = { title: '', jira_id: '', description: '' };

// The API's own schema (`NewTask`), compiled with the options the service's HTTP shell gives
// bodies: a title, Jira id or description is accepted here exactly when the API accepts it.
const validate = new Ajv({ allErrors: true, coerceTypes: false, useDefaults: true, removeAdditional: false }).compile(
  NewTask,
);

const fields = ['title', 'jira_id', 'description'] as const;

const field = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The form's fields out of a parsed urlencoded body (anything missing or repeated becomes ''). */
export const taskFormValues = (body: unknown): TaskFormValues => {
  const record = (body ?? {}) as Record<string, unknown>;
  return { title: field(record.title), jira_id: field(record.jira_id), description: field(record.description) };
};

const count = new Intl.NumberFormat('en-US');

/** A sentence for a person, from the schema's complaint about one field. */
const messageFor = (name: keyof TaskFormValues, error: ErrorObject, value: string): string => {
  const limit = typeof error.params.limit === 'number' ? count.format(error.params.limit) : '';
  if (name === 'title') {
    if (error.keyword === 'minLength') return 'Enter a title.';
    if (error.keyword === 'maxLength') return `Keep the title to ${limit} characters or fewer.`;
    if (error.keyword === 'pattern')
      return /[[\]]/.test(value)
        ? 'A title cannot contain [ or ]: put the Jira id in its own field.'
        : 'Enter a title.';
  }
  if (name === 'jira_id' && error.keyword === 'maxLength') return `A Jira id has at most ${limit} characters.`;
  if (name === 'jira_id' && error.keyword === 'pattern')
    return 'A Jira id looks like UBERPOP-42: capital letters, a dash, then digits.';
  if (name === 'description' && error.keyword === 'maxLength')
    return `Keep the description to ${limit} characters or fewer.`;
  return `This field ${error.message ?? 'is not valid'}.`;
};

/**
 * Checks the create form against the API's rules (REQUIREMENTS T3, T6: title 1–200 characters,
 * not blank, without [ or ]; jira_id like ABC-123 or empty). The title and Jira id are taken
 * without surrounding spaces; an empty Jira id means none.
 */
export const parseTaskForm = (
  values: TaskFormValues,
): { ok: true; input: NewTaskInput } | { ok: false; errors: TaskFormErrors } => {
  const title = values.title.trim();
  const jiraId = values.jira_id.trim();
  const candidate = { title, ...(jiraId === '' ? {} : { jira_id: jiraId }), description: values.description };
  if (validate(candidate))
    return { ok: true, input: { title, jiraId: jiraId === '' ? null : jiraId, description: values.description } };
  const errors: TaskFormErrors = {};
  for (const error of validate.errors ?? []) {
    const name = fields.find((f) => error.instancePath === `/${f}`);
    if (name && errors[name] === undefined)
      errors[name] = messageFor(
        name,
        error,
        name === 'title' ? title : name === 'jira_id' ? jiraId : values.description,
      );
  }
  // Should the schema refuse something that is no field of the form, say so rather than pass it.
  if (Object.keys(errors).length === 0) errors.title = 'This task cannot be created as it is; check the fields.';
  return { ok: false, errors };
};
