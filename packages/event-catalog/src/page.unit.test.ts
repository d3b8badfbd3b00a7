import { describe, expect, it } from 'vitest';
import type { AsyncApiDocument } from './asyncapi.js';
import { generateCatalog } from './generate.js';
import { renderCatalogPage } from './page.js';
import { fixtureInput } from './test-support.js';
import { catalogView } from './view.js';

const { document } = generateCatalog(fixtureInput);

describe('catalogView', () => {
  const view = catalogView(document);
  const event = (name: string) => view.events.find((e) => e.name === name);

  it('reads producers and consumer groups back from the operations', () => {
    expect(
      event('Task.Created')?.versions.map((v) => ({
        id: v.id,
        retired: v.retired,
        producer: v.producer,
        receivers: v.receivers,
      })),
    ).toEqual([
      {
        id: 'Task.Created.v1',
        retired: true,
        producer: 'tracker',
        receivers: [{ group: 'accounting.tasks', service: 'accounting' }],
      },
      {
        id: 'Task.Created.v2',
        retired: false,
        producer: 'tracker',
        receivers: [{ group: 'accounting.tasks', service: 'accounting' }],
      },
    ]);
    expect(event('Payout.Made')?.versions[0]).toMatchObject({
      producer: undefined,
      receivers: [],
      warnings: [expect.any(String)],
    });
  });

  it("lists a version's data fields, and the envelope's once, without what each event fixes", () => {
    expect(event('Task.Created')?.versions[1]?.fields.map((f) => f.path)).toEqual([
      'public_id',
      'title',
      'jira_id',
      'description',
      'status',
      'assignee_id',
      'created_at',
    ]);
    expect(view.envelope.map((f) => [f.path, f.type])).toEqual([
      ['event_id', 'string (uuid)'],
      ['event_name', 'string'],
      ['event_version', 'integer'],
      ['event_time', 'string (date-time)'],
      ['producer', 'string'],
      ['correlation_id', 'string (uuid)'],
      ['causation_id', 'string (uuid) or null'],
      ['traceparent', 'string'],
      ['data', 'object'],
    ]);
  });
});

describe('renderCatalogPage', () => {
  const body = renderCatalogPage(document);

  it('has a card per event version, linked from the overview, and the link to the document', () => {
    const versions = Object.values(document.channels).flatMap((c) => Object.values(c.messages).map((m) => m.title));
    const cards = [...body.matchAll(/<h2 class="card__title">([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(cards).toEqual(['Events', 'Transports', 'Envelope', ...versions]);
    expect(body).toContain(
      '<a href="#Task.Created.v1"><span class="code">v1</span></a><span class="badge badge--neutral">retired</span>',
    );
    expect(body).toContain('<div id="Task.Created.v1">');
    expect(body).toContain('href="/docs/events.json"');
    expect(body).toContain('<span class="badge badge--danger">no service</span>');
  });

  it("shows the code spans of the transports' descriptions as code", () => {
    expect(body).toContain('the topic exchange <code>ates.events</code>');
  });

  it('runs no script of its own and has no inline style: the strict Content-Security-Policy holds', () => {
    expect([...body.matchAll(/<script[^>]*>/g)].map((m) => m[0])).toEqual([
      expect.stringMatching(/^<script src="\/assets\/ui\.js\?v=\w+" defer>$/),
    ]);
    expect(body).not.toMatch(/\sstyle=|\son\w+=|<style/i);
  });

  it('escapes what the document says', () => {
    const channel = document.channels['Task.Assigned'];
    const message = channel?.messages['Task.Assigned.v1'];
    if (!channel || !message) throw new Error('no Task.Assigned v1');
    const described = { ...message, description: '<img src=x onerror=alert(1)>' };
    const hostile: AsyncApiDocument = {
      ...document,
      channels: { ...document.channels, 'Task.Assigned': { ...channel, messages: { 'Task.Assigned.v1': described } } },
    };
    const page = renderCatalogPage(hostile);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
  });
});
