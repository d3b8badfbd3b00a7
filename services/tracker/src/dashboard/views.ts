import type { Caller } from '@ates/token-verifier';
import {
  badge,
  button,
  card,
  confirmAction,
  emptyState,
  field,
  form,
  formatDate,
  formatDateTime,
  hiddenFields,
  html,
  pageHeader,
  pagination,
  split,
  stat,
  statGroup,
  table,
  tabs,
  time,
  type SafeHtml,
} from '@ates/ui';
import { mayReassign, seesEveryonesTasks } from '../tasks/access.js';
import { titleMaxLength } from '../tasks/task.js';
import type { Person, StatusFilter, TaskCounts, TaskWithAssignee } from './queries.js';
import type { TaskFormErrors, TaskFormValues } from './task-form.js';

// The tracker's pages, as plain functions from what the routes read to HTML (@ates/ui).

/** Whose tasks a page shows: the viewer's, everyone's, or one person's (managers and admins). */
export type Scope =
  | { readonly kind: 'me' }
  | { readonly kind: 'all' }
  | { readonly kind: 'person'; readonly id: string; readonly name: string };

export interface HomeView {
  readonly viewer: Caller;
  readonly csrf: string;
  readonly scope: Scope;
  readonly status: StatusFilter;
  readonly page: number;
  readonly pageSize: number;
  readonly tasks: readonly TaskWithAssignee[];
  readonly counts: TaskCounts;
  /** Managers and admins: the people to filter by, open tasks company-wide, eligible assignees. */
  readonly people: readonly Person[];
  readonly companyOpen: number;
  readonly eligible: number;
  readonly form: { readonly values: TaskFormValues; readonly errors: TaskFormErrors };
}

/** The query a link needs to show `scope`, given the viewer's default scope. */
const assigneeParam = (scope: Scope, viewer: Caller): string | undefined => {
  const byDefault = seesEveryonesTasks(viewer.role) ? 'all' : 'me';
  const value = scope.kind === 'person' ? scope.id : scope.kind;
  return value === byDefault ? undefined : value;
};

/** The home page's URL for a scope, tab and page; defaults are left out. */
export const homeHref = (viewer: Caller, o: { scope: Scope; status: StatusFilter; page?: number }): string => {
  const params = new URLSearchParams();
  const assignee = assigneeParam(o.scope, viewer);
  if (assignee) params.set('assignee', assignee);
  if (o.status !== 'all') params.set('status', o.status);
  if (o.page !== undefined && o.page > 1) params.set('page', String(o.page));
  const query = params.toString();
  return query ? `/?${query}` : '/';
};

const count = new Intl.NumberFormat('en-US');
const plural = (n: number, one: string, many: string): string => `${count.format(n)} ${n === 1 ? one : many}`;

const shorten = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
};

const titleOf = (scope: Scope): string =>
  scope.kind === 'me' ? 'My tasks' : scope.kind === 'all' ? 'All tasks' : `Tasks of ${scope.name}`;

const subtitleOf = (scope: Scope): string =>
  scope.kind === 'me'
    ? 'Tasks assigned to you. Complete them to earn their reward.'
    : scope.kind === 'all'
      ? "Every popug's tasks, open ones first."
      : `What ${scope.name} is working on, open tasks first.`;

const emptyFor = (view: HomeView): SafeHtml => {
  const mine = view.scope.kind === 'me';
  if (view.status === 'open')
    return emptyState({
      title: 'Nothing open',
      message: mine ? 'You have no open tasks. Enjoy the millet.' : 'No open tasks here.',
      icon: 'success',
    });
  if (view.status === 'done')
    return emptyState({
      title: 'Nothing done yet',
      message: mine ? 'Tasks you complete show up here.' : 'No completed tasks here yet.',
    });
  return emptyState({
    title: 'No tasks yet',
    message: mine
      ? 'Tasks assigned to you show up here. A new task goes to a random popug — maybe you.'
      : 'Nobody has any tasks yet. Create the first one.',
    action: button({ label: 'Create a task', kind: 'secondary', href: '#f-title', icon: 'plus' }),
  });
};

const taskCell = (t: TaskWithAssignee): SafeHtml =>
  html`<div class="cell-title">${t.jira_id ? html`<span class="code">${t.jira_id}</span> ` : ''}${t.title}</div>${t.description.trim() ? html`<div class="cell-sub">${shorten(t.description, 140)}</div>` : ''}`;

const actionCell = (view: HomeView, returnTo: string, t: TaskWithAssignee): SafeHtml => {
  if (t.status === 'done') {
    return t.completed_at
      ? html`<span class="muted text-sm" title="${formatDateTime(t.completed_at)}">Completed ${time(t.completed_at.toISOString(), formatDate(t.completed_at))}</span>`
      : html`<span class="muted text-sm">Completed</span>`;
  }
  // Only the assignee completes a task (T5): someone else's open task has no action here.
  if (t.assignee_id !== view.viewer.id) return html``;
  return form({
    action: `/tasks/${t.public_id}/complete`,
    csrf: view.csrf,
    body: html`${hiddenFields({ return_to: returnTo })}${button({ label: 'Complete', kind: 'secondary', size: 'sm', icon: 'check', attrs: { 'aria-label': `Complete “${t.title}”` } })}`,
  });
};

const taskTable = (view: HomeView, returnTo: string): SafeHtml =>
  table<TaskWithAssignee>({
    caption: titleOf(view.scope),
    empty: emptyFor(view),
    columns: [
      { header: 'Task', cell: taskCell },
      ...(view.scope.kind === 'me'
        ? []
        : [
            {
              header: 'Assignee',
              cell: (t: TaskWithAssignee) =>
                t.assignee_id === view.viewer.id
                  ? html`${t.assigneeName} <span class="muted text-sm">(you)</span>`
                  : t.assigneeName,
            },
          ]),
      { header: 'Status', cell: (t) => (t.status === 'open' ? badge('Open', 'open') : badge('Done', 'done')) },
      { header: 'Created', cell: (t) => time(t.created_at.toISOString(), formatDateTime(t.created_at)) },
      { header: '', align: 'right', cell: (t) => actionCell(view, returnTo, t) },
    ],
    rows: view.tasks,
  });

const createForm = (view: HomeView, returnTo: string): SafeHtml => {
  // After a refusal, the first field to fix has the focus.
  const first = (['title', 'jira_id', 'description'] as const).find((f) => view.form.errors[f] !== undefined);
  const focus = (name: typeof first) => (name !== undefined && name === first ? { autofocus: '' } : undefined);
  return form({
    action: '/tasks',
    csrf: view.csrf,
    attrs: { novalidate: '' },
    body: html`${hiddenFields({ return_to: returnTo })}
      ${field({ label: 'Title', name: 'title', value: view.form.values.title, required: true, maxLength: titleMaxLength, error: view.form.errors.title, placeholder: 'Change the green of the button', autocomplete: 'off', attrs: focus('title') })}
      ${field({ label: 'Jira id', name: 'jira_id', value: view.form.values.jira_id, hint: 'Optional, like UBERPOP-42.', error: view.form.errors.jira_id, placeholder: 'UBERPOP-42', autocomplete: 'off', attrs: focus('jira_id') })}
      ${field({ label: 'Description', name: 'description', type: 'textarea', rows: 3, value: view.form.values.description, error: view.form.errors.description, placeholder: 'What needs doing, and how we know it is done', attrs: focus('description') })}
      <div class="form-actions">${button({ label: 'Create task', icon: 'plus' })}</div>`,
  });
};

const filterForm = (view: HomeView): SafeHtml => {
  const value = view.scope.kind === 'person' ? view.scope.id : view.scope.kind;
  const options = [
    { value: 'all', label: 'Everyone' },
    { value: 'me', label: `Me (${view.viewer.name})` },
    ...view.people.map((p) => ({ value: p.id, label: p.name })),
  ];
  if (view.scope.kind === 'person' && !view.people.some((p) => p.id === value))
    options.push({ value, label: view.scope.name });
  return form({
    action: '/',
    method: 'get',
    body: html`${view.status === 'all' ? '' : hiddenFields({ status: view.status })}
      ${field({ label: 'Show the tasks of', name: 'assignee', type: 'select', value, options })}
      <div class="form-actions">${button({ label: 'Show', kind: 'secondary' })}</div>`,
  });
};

const reassignButton = (view: HomeView, returnTo: string): SafeHtml =>
  confirmAction({
    action: '/tasks/reassign',
    fields: { return_to: returnTo },
    label: 'Reassign open tasks',
    icon: 'shuffle',
    title: 'Reassign every open task?',
    message:
      view.companyOpen === 0
        ? 'There are no open tasks right now, so nothing would change.'
        : `All ${plural(view.companyOpen, 'open task', 'open tasks')} get a new assignee, drawn at random among the ${plural(view.eligible, 'popug', 'popugs')} who can take tasks. Each assignment charges its fee. This cannot be undone.`,
    confirmLabel: 'Reassign all',
    csrf: view.csrf,
    danger: true,
    kind: 'secondary',
  });

/** "My tasks" (and, for managers and admins, anyone's): tabs, the list, the create form. */
/** The home page: the title it goes by and its body (the dashboard's chrome is added by `reply.page`). */
export const homePage = (view: HomeView): { title: string; body: SafeHtml } => {
  const returnTo = homeHref(view.viewer, { scope: view.scope, status: view.status, page: view.page });
  const tabHref = (status: StatusFilter) => homeHref(view.viewer, { scope: view.scope, status });
  const total =
    view.status === 'open'
      ? view.counts.open
      : view.status === 'done'
        ? view.counts.done
        : view.counts.open + view.counts.done;
  const manager = seesEveryonesTasks(view.viewer.role);
  const reassigns = mayReassign(view.viewer.role);
  const mine = view.scope.kind === 'me';
  const stats = [
    stat({
      label: 'Open tasks',
      value: count.format(view.counts.open),
      hint: mine
        ? 'assigned to you'
        : view.scope.kind === 'all'
          ? 'across the company'
          : `assigned to ${view.scope.name}`,
    }),
    stat({
      label: 'Completed today',
      value: count.format(view.counts.doneToday),
      hint: 'since midnight UTC',
      tone: view.counts.doneToday > 0 ? 'positive' : undefined,
    }),
    stat({ label: 'Completed', value: count.format(view.counts.done), hint: 'all time' }),
    ...(manager
      ? [stat({ label: 'Popugs taking tasks', value: count.format(view.eligible), hint: 'workers and accountants' })]
      : []),
  ];
  return {
    title: titleOf(view.scope),
    body: html`
      ${pageHeader({
        title: titleOf(view.scope),
        subtitle: subtitleOf(view.scope),
        actions: html`${reassigns ? reassignButton(view, returnTo) : ''}${button({ label: 'New task', icon: 'plus', href: '#f-title' })}`,
      })}
      ${statGroup(stats)}
      ${split({
        main: card({
          title: 'Tasks',
          actions: tabs({
            label: 'Status',
            items: [
              { label: 'Open', href: tabHref('open'), count: view.counts.open, current: view.status === 'open' },
              { label: 'Done', href: tabHref('done'), count: view.counts.done, current: view.status === 'done' },
              {
                label: 'All',
                href: tabHref('all'),
                count: view.counts.open + view.counts.done,
                current: view.status === 'all',
              },
            ],
          }),
          flush: true,
          body: taskTable(view, returnTo),
          footer:
            total > view.pageSize
              ? pagination({
                  page: view.page,
                  pageSize: view.pageSize,
                  total,
                  href: (p) => homeHref(view.viewer, { scope: view.scope, status: view.status, page: p }),
                })
              : undefined,
        }),
        aside: html`
          ${card({ title: 'New task', description: 'It goes to a random popug who takes tasks (not a manager or admin).', body: createForm(view, returnTo) })}
          ${manager ? card({ title: 'Whose tasks', body: filterForm(view) }) : ''}`,
      })}`,
  };
};
