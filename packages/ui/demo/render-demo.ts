/**
 * Renders the @ates/ui demo pages: a tracker-like "My tasks" page that uses every component, and
 * the sign-in page. Run `npx tsx packages/ui/demo/render-demo.ts`; it writes `demo.html` and
 * `signin.html` next to this file with the assets in `assets/` (linked relatively, so the files
 * open straight from disk). `screenshot.ts` serves the same pages over HTTP for the screenshots.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  amount,
  badge,
  button,
  card,
  confirmAction,
  descriptionList,
  emptyState,
  field,
  form,
  formatDateTime,
  html,
  money,
  page,
  pageHeader,
  pagination,
  signInPage,
  signedMoney,
  split,
  stat,
  statGroup,
  table,
  tabs,
  time,
  uiCss,
  uiCssHref,
  uiJs,
  uiJsHref,
} from '../src/index.js';
import type { DashboardLinks, Role, Viewer } from '../src/index.js';

interface DemoTask {
  readonly id: string;
  readonly title: string;
  readonly jiraId?: string;
  readonly description: string;
  readonly status: 'open' | 'done';
  readonly assignedAt: string;
}

const tasks: readonly DemoTask[] = [
  {
    id: 't-101',
    title: 'Change the green of the button',
    jiraId: 'UBERPOP-42',
    description: 'Marketing wants a greener green.',
    status: 'open',
    assignedAt: '2026-03-03T09:12:00Z',
  },
  {
    id: 't-102',
    title: 'Refill the millet dispenser on floor 3',
    description: 'It squeaks when empty.',
    status: 'open',
    assignedAt: '2026-03-03T10:40:00Z',
  },
  {
    id: 't-103',
    title: 'Migrate the perch booking to the new calendar',
    jiraId: 'UBERPOP-57',
    description: 'Keep the old links working.',
    status: 'open',
    assignedAt: '2026-03-03T11:05:00Z',
  },
  {
    id: 't-104',
    title: 'Write the onboarding guide for new popugs',
    jiraId: 'DOCS-7',
    description: 'Two pages, with pictures.',
    status: 'done',
    assignedAt: '2026-03-02T15:30:00Z',
  },
  {
    id: 't-105',
    title: 'Untangle the swing in the break room',
    description: 'Somebody tied a knot in it again.',
    status: 'done',
    assignedAt: '2026-03-02T08:00:00Z',
  },
];

export const demoLinks: DashboardLinks = {
  tracker: 'http://localhost:3002/',
  accounting: 'http://localhost:3003/',
  analytics: 'http://localhost:3004/',
  admin: 'http://localhost:3001/admin',
};

export const demoViewer = (role: Role): Viewer => ({
  name: role === 'worker' ? 'Kesha Popugaev' : 'Rio Ara',
  email: role === 'worker' ? 'kesha@uberpopug.example' : 'rio@uberpopug.example',
  role,
});

const csrf = 'demo-csrf-token';

const taskTable = table<DemoTask>({
  caption: 'My tasks',
  empty: 'No tasks here.',
  columns: [
    {
      header: 'Task',
      cell: (t) =>
        html`<div class="cell-title">${t.jiraId ? html`<span class="code">${t.jiraId}</span> ` : ''}${t.title}</div><div class="cell-sub">${t.description}</div>`,
    },
    { header: 'Status', cell: (t) => (t.status === 'open' ? badge('Open', 'open') : badge('Done', 'done')) },
    { header: 'Assigned', cell: (t) => time(t.assignedAt, formatDateTime(t.assignedAt)) },
    {
      header: '',
      align: 'right',
      cell: (t) =>
        t.status === 'open'
          ? form({
              action: `/tasks/${t.id}/complete`,
              csrf,
              body: button({ label: 'Complete', kind: 'secondary', size: 'sm', icon: 'check' }),
            })
          : html`<span class="muted text-sm">Completed</span>`,
    },
  ],
  rows: tasks,
});

const auditLog = table<{ at: string; what: string; task: string; amount: number }>({
  caption: 'Today on your account',
  empty: 'Nothing on your account today.',
  columns: [
    { header: 'Time', cell: (r) => time(r.at, formatDateTime(r.at)) },
    { header: 'Entry', cell: (r) => r.what },
    { header: 'Task', cell: (r) => html`<span class="code">${r.task}</span>` },
    { header: 'Amount', align: 'right', cell: (r) => amount(r.amount, { signed: true }) },
  ],
  rows: [
    { at: '2026-03-03T09:12:00Z', what: 'Assignment fee', task: 'UBERPOP-42', amount: -14 },
    { at: '2026-03-03T10:40:00Z', what: 'Assignment fee', task: 'T-102', amount: -18 },
    { at: '2026-03-03T12:02:00Z', what: 'Completion reward', task: 'DOCS-7', amount: 32 },
    { at: '2026-03-03T13:47:00Z', what: 'Completion reward', task: 'T-105', amount: 27 },
  ],
});

const createForm = form({
  action: '/tasks',
  csrf,
  body: html`
    ${field({ label: 'Title', name: 'title', value: '[UBERPOP-42] Change the green', required: true, maxLength: 200, error: 'A title cannot contain [ or ]: put the Jira id in its own field.' })}
    ${field({ label: 'Jira id', name: 'jira_id', placeholder: 'UBERPOP-42', hint: 'Optional. Letters, a dash and digits.', maxLength: 32 })}
    ${field({ label: 'Description', name: 'description', type: 'textarea', rows: 3, placeholder: 'What needs doing, and how we know it is done' })}
    <div class="form-actions">${button({ label: 'Create task', icon: 'plus' })}</div>`,
});

const filterForm = form({
  action: '/',
  method: 'get',
  body: html`
    ${field({
      label: 'Show the tasks of',
      name: 'assignee',
      type: 'select',
      value: 'me',
      options: [
        { value: 'me', label: 'Me' },
        { value: 'all', label: 'Everyone' },
        { value: 'kesha', label: 'Kesha Popugaev' },
      ],
    })}
    <div class="form-actions">${button({ label: 'Apply', kind: 'secondary' })}</div>`,
});

const reassign = confirmAction({
  action: '/tasks/reassign',
  label: 'Reassign open tasks',
  icon: 'shuffle',
  title: 'Reassign every open task?',
  message:
    'All 1,284 open tasks get a new random assignee among the workers. Each assignment charges the assignee its fee. This cannot be undone.',
  confirmLabel: 'Reassign all',
  csrf,
  danger: true,
  kind: 'secondary',
});

export const renderDemo = (role: Role = 'manager'): string =>
  page({
    title: 'My tasks',
    current: 'tracker',
    viewer: demoViewer(role),
    links: demoLinks,
    signOutUrl: 'http://localhost:3001/signout',
    csrf,
    flash: [
      {
        kind: 'success',
        message: 'Task “Refill the millet dispenser on floor 3” created and assigned to Kesha Popugaev.',
      },
      { kind: 'error', message: 'The task could not be completed: it is assigned to someone else now.' },
    ],
    body: html`
      ${pageHeader({
        title: 'My tasks',
        subtitle: 'Tasks assigned to you. Complete them to earn their reward.',
        actions: html`${role === 'manager' || role === 'admin' ? reassign : ''}${button({ label: 'New task', icon: 'plus', href: '#f-title' })}`,
      })}
      ${statGroup([
        stat({ label: 'Open tasks', value: '3', hint: 'assigned to you' }),
        stat({ label: 'Completed today', value: '2', hint: '+1 since yesterday', tone: 'positive' }),
        stat({ label: 'Earned today', value: money(27), hint: 'rewards minus fees', tone: 'positive' }),
        stat({ label: 'Management today', value: money(-1250), hint: 'fees minus rewards', tone: 'negative' }),
      ])}
      ${split({
        main: html`
          ${card({
            title: 'Tasks',
            actions: tabs({
              label: 'Status',
              items: [
                { label: 'Open', href: '?status=open', count: 3, current: true },
                { label: 'Done', href: '?status=done', count: 2 },
                { label: 'All', href: '?status=all', count: 5 },
              ],
            }),
            flush: true,
            body: taskTable,
            footer: pagination({ page: 3, pageSize: 5, total: 134, href: (p) => `?page=${p}` }),
          })}
          ${card({ title: 'Today on your account', description: `Balance ${signedMoney(27)} · paid out at the end of the day`, flush: true, body: auditLog })}
          ${card({
            title: 'Tasks you created',
            flush: true,
            body: table({
              columns: [{ header: 'Task', cell: (t: DemoTask) => t.title }],
              rows: [],
              empty: emptyState({
                title: 'No tasks created yet',
                message: 'Tasks you create are assigned to a random popug and show up here.',
                action: button({ label: 'Create a task', kind: 'secondary', href: '#f-title', icon: 'plus' }),
              }),
            }),
          })}`,
        aside: html`
          ${card({ title: 'New task', description: 'Assigned at random to an eligible popug.', body: createForm })}
          ${card({ title: 'Filter', body: filterForm })}
          ${card({
            title: 'Your account',
            body: descriptionList([
              { label: 'Role', value: badge('Manager', 'info') },
              { label: 'Email', value: 'rio@uberpopug.example' },
              { label: 'Balance', value: amount(-5) },
            ]),
          })}`,
      })}`,
  });

export const renderSignIn = (withError = true): string =>
  signInPage({
    action: '/signin',
    email: withError ? 'kesha@uberpopug.example' : undefined,
    error: withError ? 'That email and password do not match an active account.' : undefined,
    hiddenFields: { return_to: 'http://localhost:3002/', _csrf: csrf },
  });

/** Points the asset links at `assets/` beside the file, so it opens from disk. */
const forDisk = (document: string): string =>
  document.replace(uiCssHref, 'assets/ui.css').replace(uiJsHref, 'assets/ui.js');

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const here = dirname(fileURLToPath(import.meta.url));
  mkdirSync(join(here, 'assets'), { recursive: true });
  writeFileSync(join(here, 'assets', 'ui.css'), uiCss);
  writeFileSync(join(here, 'assets', 'ui.js'), uiJs);
  writeFileSync(join(here, 'demo.html'), forDisk(renderDemo()));
  writeFileSync(join(here, 'signin.html'), forDisk(renderSignIn()));
  process.stdout.write(`Wrote ${join(here, 'demo.html')} and ${join(here, 'signin.html')}\n`);
}
