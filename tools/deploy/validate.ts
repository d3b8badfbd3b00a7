/**
 * `npm run check:deploy` (part of `npm test`): validates deploy/ without running it — see
 * checks.ts. Prints every finding and exits non-zero if there is one.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCompose, checkManifests, type Finding } from './checks.js';

const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));
const read = (file: string): Promise<string> => readFile(path.join(deploy, file), 'utf8');

const findings: Finding[] = [...checkCompose('compose/compose.yaml', await read('compose/compose.yaml'))];
const manifests = (await readdir(path.join(deploy, 'k8s'))).filter((f) => f.endsWith('.yaml')).sort();
for (const file of manifests) findings.push(...(await checkManifests(`k8s/${file}`, await read(`k8s/${file}`))));
const needed = ['auth', 'tracker', 'accounting', 'analytics'].map((s) => `${s}.yaml`);
for (const file of needed.filter((f) => !manifests.includes(f)))
  findings.push({ file: `k8s/${file}`, message: 'missing' });

for (const f of findings) process.stderr.write(`deploy/${f.file}: ${f.message}\n`);
if (findings.length > 0) process.exit(1);
process.stdout.write(`deploy/: compose.yaml and ${manifests.length} Kubernetes manifest files are valid\n`);
