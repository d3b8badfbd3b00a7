import { describe, expect, it } from 'vitest';
import type { Caller } from '@ates/token-verifier';
import type { TaskWithAssignee } from './queries.js';
import { homeHref, homePage as homePageOf, type HomeView } from './views.js';

const homePage = (v: HomeView): string => String(homePageOf(v).body);

const worker: Caller = {
  id: '11111111-1111-4111-8111-111111111111',
  role: 'worker',
  name: 'Polly Popug',
  email: 'polly@uberpopug.example',
};
const manager: Caller = {
  id: '22222222-2222-4222-8222-222222222222',
  role: 'manager',
  name: 'Kea Nestor',
  email: 'kea@uberpopug.example',
};

const task = (over: Partial<TaskWithAssignee> = {}): TaskWithAssignee => ({
  public_id: '33333333-3333-4333-8333-333333333333',
  title: 'Refill the millet',
  jira_id: null,
  description: '',
  status: 'open',
  assignee_id: worker.id,
  creator_id: manager.id,
  created_at: new Date('2026-03-03T09:12:00Z'),
  completed_at: null,
  assigneeName: 'Polly Popug',
  ...over,
});

const view = (viewer: Caller, over: Partial<HomeView> = {}): HomeView => ({
  viewer,
  csrf: 'csrf-token',
  scope: { kind: 'me' },
  status: 'all',
  page: 1,
  pageSize: 20,
  tasks: [task()],
  counts: { open: 1, done: 0, doneToday: 0 },
  people: [],
  companyOpen: 12,
  eligible: 6,
  form: { values: { title: '', jira_id: '', description: '' }, errors: {} },
  ...over,
});

describe('tracker pages', () => {
  it('give a worker a Complete button for their open task and no reassign', () => {
    const html = homePage(view(worker));
    expect(html).toContain(`action="/tasks/${task().public_id}/complete"`);
    expect(html).toContain('name="_csrf" value="csrf-token"');
    expect(html).not.toContain('/tasks/reassign');
    expect(html).not.toContain('Whose tasks');
  });

  it('give a manager the reassign confirmation with the figures, and no Complete on others’ tasks', () => {
    const html = homePage(view(manager, { scope: { kind: 'all' } }));
    expect(html).toContain('action="/tasks/reassign"');
    expect(html).toContain(
      'All 12 open tasks get a new assignee, drawn at random among the 6 popugs who can take tasks.',
    );
    expect(html).not.toContain('/complete"');
    expect(html).toContain('<h1 class="page-header__title">All tasks</h1>');
  });

  it('escape what people typed', () => {
    const html = homePage(
      view(worker, {
        tasks: [task({ title: '<img src=x onerror=alert(1)>', description: '"><script>x</script>' })],
        form: {
          values: { title: '</textarea><b>', jira_id: '', description: '' },
          errors: { title: 'Enter a title.' },
        },
      }),
    );
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>x');
    expect(html).not.toContain('</textarea><b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Enter a title.');
  });

  it('link tabs and pages without the defaults', () => {
    expect(homeHref(worker, { scope: { kind: 'me' }, status: 'all' })).toBe('/');
    expect(homeHref(worker, { scope: { kind: 'me' }, status: 'open', page: 2 })).toBe('/?status=open&page=2');
    expect(homeHref(manager, { scope: { kind: 'all' }, status: 'all' })).toBe('/');
    expect(homeHref(manager, { scope: { kind: 'me' }, status: 'done' })).toBe('/?assignee=me&status=done');
    expect(homeHref(manager, { scope: { kind: 'person', id: worker.id, name: 'Polly' }, status: 'all' })).toBe(
      `/?assignee=${worker.id}`,
    );
  });
});
