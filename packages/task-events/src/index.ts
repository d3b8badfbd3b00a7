import type { DataOf, EventOf } from '@ates/schema-registry';

export type TaskCreatedAnyVersion = EventOf<'Task.Created', 1> | EventOf<'Task.Created', 2>;
export type TaskCreatedData = DataOf<'Task.Created', 2>;

/**
 * The first release put the Jira id in the title: "[UBERPOP-42] — Change the green of the
 * button". The tracker's migration 0003 applies the same rule to stored tasks (in SQL); a test
 * keeps the two in step.
 */
const legacyTitle = /^\s*\[([A-Z][A-Z0-9]*-[0-9]+)\]\s*(?:[—–-]\s*)?(.+)$/su;

/** Splits an old-style title into its Jira id and the title proper; other titles stay as they are. */
export const splitLegacyTitle = (title: string): { title: string; jiraId: string | null } => {
  const match = legacyTitle.exec(title);
  const rest = match?.[2];
  if (!match || rest === undefined || /[[\]]/.test(rest)) return { title, jiraId: null };
  return { title: rest, jiraId: match[1] ?? null };
};

/**
 * Task.Created of any version, in today's shape (v2). Consumers handle v1 and v2 through this
 * one function, so that a v1 stream and the equivalent v2 stream leave the same state.
 */
export const taskCreatedData = (event: TaskCreatedAnyVersion): TaskCreatedData => {
  if (event.event_version === 2) return event.data;
  const { title, jiraId } = splitLegacyTitle(event.data.title);
  return { ...event.data, title, jira_id: jiraId };
};
