import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkCompose, checkManifests } from './checks.js';

const deploy = (file: string): Promise<string> => readFile(new URL(`../../deploy/${file}`, import.meta.url), 'utf8');

describe('deploy/ checks', () => {
  it('pass the checked-in Compose file and manifests', async () => {
    expect(checkCompose('compose.yaml', await deploy('compose/compose.yaml'))).toEqual([]);
    for (const file of ['tracker.yaml', 'rabbitmq.yaml', 'bus-declare.yaml'])
      expect(await checkManifests(file, await deploy(`k8s/${file}`))).toEqual([]);
  });

  it('find a Compose file that breaks the specification or runs a service once', async () => {
    const compose = (await deploy('compose/compose.yaml'))
      .replace('restart: unless-stopped', 'restart: sometimes\n  colour: blue')
      .replace('    replicas: 2', '    replicas: 1');
    const messages = checkCompose('compose.yaml', compose).map((f) => f.message);
    expect(messages).toEqual(expect.arrayContaining(['auth runs fewer than 2 replicas']));
    expect(messages.some((m) => /colour|additional properties|must be equal to one of/.test(m))).toBe(true);
  });

  it('find a manifest the Kubernetes API would refuse, and a Deployment without probes or Secrets', async () => {
    const tracker = (await deploy('k8s/tracker.yaml'))
      .replace('containerPort: 4001', 'containerPort: "four thousand"')
      .replace('path: /health/ready', 'path: /')
      .replace(
        'valueFrom: { secretKeyRef: { name: ates, key: tracker-database-url } }',
        'value: postgres://tracker:secret@db/tracker',
      );
    const messages = (await checkManifests('tracker.yaml', tracker)).map((f) => f.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Deployment tracker: .*containerPort/),
        'Deployment tracker: readiness is not /health/ready',
        'Deployment tracker: DATABASE_URL is not taken from a Secret',
      ]),
    );
  });
});
