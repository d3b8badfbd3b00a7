import type { JsonObject } from '@ates/schema-registry';
import type { AsyncApiDocument, AsyncApiMessage, AsyncApiOperation, AsyncApiServer } from './asyncapi.js';
import { fieldRows, type FieldRow } from './fields.js';

export interface ReceiverView {
  readonly group: string;
  readonly service: string;
}

export interface VersionView {
  /** The message id, `Task.Created.v2`: the page's anchor for this version. */
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly retired: boolean;
  readonly warnings: readonly string[];
  /** The service whose `send` operation lists this version; undefined when none does. */
  readonly producer: string | undefined;
  readonly receivers: readonly ReceiverView[];
  /** The data's fields (the envelope's are the same for every event). */
  readonly fields: readonly FieldRow[];
}

export interface EventView {
  readonly name: string;
  readonly description: string;
  readonly versions: readonly VersionView[];
}

export interface CatalogView {
  readonly version: string;
  readonly services: readonly string[];
  readonly servers: readonly (AsyncApiServer & { readonly id: string })[];
  /** The envelope's fields, as every event carries them. */
  readonly envelope: readonly FieldRow[];
  readonly events: readonly EventView[];
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `#/channels/Task.Created/messages/Task.Created.v1` → `Task.Created/Task.Created.v1` (JSON pointer unescaped). */
const messageKey = (ref: string): string => {
  const [, channel, , message] = ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  return `${channel}/${message}`;
};

const operationsOf = (
  document: AsyncApiDocument,
  action: AsyncApiOperation['action'],
): Map<string, AsyncApiOperation[]> => {
  const byMessage = new Map<string, AsyncApiOperation[]>();
  for (const operation of Object.values(document.operations)) {
    if (operation.action !== action) continue;
    for (const { $ref } of operation.messages)
      byMessage.set(messageKey($ref), [...(byMessage.get(messageKey($ref)) ?? []), operation]);
  }
  return byMessage;
};

const data = (message: AsyncApiMessage): JsonObject => {
  const properties = message.payload['properties'];
  const inner = isObject(properties) ? properties['data'] : undefined;
  return isObject(inner) ? inner : {};
};

/**
 * The envelope's fields from any message: each message fixes event_name and event_version with a
 * `const` and defines data, so those are dropped to show what every event shares.
 */
const envelopeOf = (message: AsyncApiMessage | undefined): FieldRow[] => {
  const properties = message?.payload['properties'];
  if (!message || !isObject(properties)) return [];
  const shared = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      if (!isObject(property)) return [name, property];
      const { const: _fixed, ...rest } = property;
      return [name, name === 'data' ? { type: rest['type'], description: rest['description'] } : rest];
    }),
  );
  return fieldRows({ ...message.payload, properties: shared });
};

/** What the page shows, read from the document alone: the page and `/docs/events.json` cannot disagree. */
export const catalogView = (document: AsyncApiDocument): CatalogView => {
  const sends = operationsOf(document, 'send');
  const receives = operationsOf(document, 'receive');
  const events = Object.entries(document.channels).map(([channelId, channel]): EventView => ({
    name: channel.address,
    description: channel.description,
    versions: Object.entries(channel.messages).map(([id, message]): VersionView => {
      const key = `${channelId}/${id}`;
      return {
        id,
        version: message['x-event-version'],
        title: message.title,
        description: message.description,
        retired: message.deprecated === true,
        warnings: message['x-ates-warnings'] ?? [],
        producer: sends.get(key)?.[0]?.['x-service'],
        receivers: (receives.get(key) ?? []).map((op) => ({
          group: op['x-consumer-group'] ?? '',
          service: op['x-service'],
        })),
        fields: fieldRows(data(message)),
      };
    }),
  }));
  const first = Object.values(document.channels)[0];
  return {
    version: document.info.version,
    services: document.info.tags.map((tag) => tag.name),
    servers: Object.entries(document.servers).map(([id, server]) => ({ id, ...server })),
    envelope: envelopeOf(first ? Object.values(first.messages)[0] : undefined),
    events,
  };
};
