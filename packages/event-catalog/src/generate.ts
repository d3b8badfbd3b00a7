import type { EventSchemaFile, SchemaSet } from '@ates/schema-registry';
import type { AsyncApiChannel, AsyncApiDocument, AsyncApiMessage, AsyncApiOperation } from './asyncapi.js';
import {
  collectDeclarations,
  gapsOf,
  type CatalogService,
  type Declarations,
  type KnownVersions,
  type Producer,
  type Receiver,
} from './declarations.js';
import { resolvePayload } from './payload.js';
import { amqpChannelBinding, servers } from './transports.js';

export interface CatalogInput {
  /** The registry's schema files (`readSchemas()` from @ates/schema-registry). */
  readonly schemas: SchemaSet;
  /** Every service of the system, in the order the document lists them. */
  readonly services: readonly CatalogService[];
  /** The system's version, for `info.version`. */
  readonly version: string;
}

export interface Catalog {
  readonly document: AsyncApiDocument;
  /** Every message's `x-ates-warnings`, in document order. */
  readonly warnings: readonly string[];
}

export const messageId = (name: string, version: number): string => `${name}.v${version}`;
const channelRef = (name: string) => ({ $ref: `#/channels/${name}` });
const messageRef = (name: string, version: number) => ({
  $ref: `#/channels/${name}/messages/${messageId(name, version)}`,
});
const list = (versions: readonly number[]): string => versions.map((v) => `v${v}`).join(', ');

const retiredNote = (producer: Producer, version: number): string =>
  `Retired: ${producer.service} published v${version} in earlier releases and no longer does (it publishes ${producer.versions.length > 0 ? list(producer.versions) : 'no version'} now). Consumers still accept it, since retained events of this version may be replayed.`;

const messageOf = (
  file: EventSchemaFile,
  envelope: SchemaSet['envelope'],
  declarations: Declarations,
): AsyncApiMessage => {
  const producer = declarations.producers.get(file.name);
  const retired = producer?.retired.includes(file.version) ?? false;
  const gaps = gapsOf(declarations, file.name, file.version);
  const description = String(file.schema['description'] ?? '');
  return {
    name: file.name,
    title: `${file.name} v${file.version}`,
    description: retired && producer ? `${description}\n\n${retiredNote(producer, file.version)}` : description,
    contentType: 'application/json',
    payload: resolvePayload(envelope.schema, file),
    ...(retired ? { deprecated: true as const } : {}),
    'x-event-version': file.version,
    ...(gaps.length > 0 ? { 'x-ates-warnings': gaps } : {}),
  };
};

const channelOf = (
  name: string,
  files: readonly EventSchemaFile[],
  input: CatalogInput,
  declarations: Declarations,
): AsyncApiChannel => {
  const latest = files[files.length - 1];
  return {
    address: name,
    title: name,
    description: String(latest?.schema['description'] ?? ''),
    messages: Object.fromEntries(
      files.map((f) => [messageId(name, f.version), messageOf(f, input.schemas.envelope, declarations)]),
    ),
    bindings: { amqp: amqpChannelBinding },
  };
};

const sendOf = (name: string, producer: Producer): AsyncApiOperation => ({
  action: 'send',
  channel: channelRef(name),
  messages: [...producer.retired, ...producer.versions].sort((a, b) => a - b).map((v) => messageRef(name, v)),
  title: `${producer.service} publishes ${name}`,
  summary:
    producer.retired.length > 0
      ? `Publishes ${list(producer.versions) || 'no version'} now; ${list(producer.retired)} retired (published by earlier releases).`
      : `Publishes ${list(producer.versions)}.`,
  tags: [{ name: producer.service }],
  'x-service': producer.service,
});

const receiveOf = (name: string, receiver: Receiver): AsyncApiOperation => ({
  action: 'receive',
  channel: channelRef(name),
  messages: receiver.versions.map((v) => messageRef(name, v)),
  title: `${receiver.group} receives ${name}`,
  summary: `Consumer group ${receiver.group} of ${receiver.service} accepts ${list(receiver.versions)}.`,
  tags: [{ name: receiver.service }],
  'x-service': receiver.service,
  'x-consumer-group': receiver.group,
});

/** Each service's operations together: what it sends, then what each of its groups receives. */
const operationsOf = (
  services: readonly CatalogService[],
  declarations: Declarations,
): Record<string, AsyncApiOperation> => {
  const operations: Record<string, AsyncApiOperation> = {};
  const names = [...new Set([...declarations.producers.keys(), ...declarations.receivers.keys()])].sort();
  for (const service of services) {
    for (const name of names) {
      const producer = declarations.producers.get(name);
      if (producer?.service === service.name) operations[`${service.name}.send.${name}`] = sendOf(name, producer);
    }
    for (const group of service.consumers ?? []) {
      for (const name of names) {
        const receiver = declarations.receivers.get(name)?.find((r) => r.group === group.name);
        if (receiver) operations[`${group.name}.receive.${name}`] = receiveOf(name, receiver);
      }
    }
  }
  return operations;
};

const description = (): string =>
  [
    'Every event the aTES services (auth, tracker, accounting, analytics) exchange. Each service owns its PostgreSQL database and talks to the others only through these events: a transactional outbox, a relay, idempotent consumer groups, dead letters.',
    'A channel is one event name, which is also the routing key; its messages are the versions of that event, each with its JSON Schema (the envelope and the data). A `send` operation names the service that publishes the event; a `receive` operation names a consumer group (`x-consumer-group`) and the versions it accepts. A deprecated message is a retired version: no longer published, still accepted, since retained events of it may be replayed. `x-ates-warnings` says what is missing: a version no service publishes, or one no consumer group accepts.',
    "Generated by `npm run docs:events` from the schema registry and the services' declarations (`produces`, `consumers`); not to be edited by hand.",
  ].join('\n\n');

/**
 * The event catalog as an AsyncAPI 3.0.0 document, from the registry's schemas and what each
 * service declares it produces and consumes. Pure: the same input gives the same document, key
 * order included, so a checked-in copy can be compared with it.
 */
export const generateCatalog = (input: CatalogInput): Catalog => {
  const byName = new Map<string, EventSchemaFile[]>();
  for (const file of input.schemas.events) byName.set(file.name, [...(byName.get(file.name) ?? []), file]);
  const known: KnownVersions = new Map([...byName].map(([name, files]) => [name, files.map((f) => f.version)]));
  const declarations = collectDeclarations(known, input.services);
  const channels = Object.fromEntries(
    [...byName].map(([name, files]) => [name, channelOf(name, files, input, declarations)]),
  );
  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    id: 'urn:uberpopug:ates:events',
    info: {
      title: 'aTES events',
      version: input.version,
      description: description(),
      tags: input.services.map((s) => ({ name: s.name, description: s.description })),
    },
    defaultContentType: 'application/json',
    servers,
    channels,
    operations: operationsOf(input.services, declarations),
  };
  const warnings = Object.values(channels).flatMap((c) =>
    Object.values(c.messages).flatMap((m) => m['x-ates-warnings'] ?? []),
  );
  return { document, warnings };
};
