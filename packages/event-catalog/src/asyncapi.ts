import type { JsonObject } from '@ates/schema-registry';

/**
 * The part of AsyncAPI 3.0.0 the catalog writes (https://www.asyncapi.com/docs/reference/specification/v3.0.0),
 * typed so that the generator and the page agree on it. `x-…` fields are specification
 * extensions of our own; what they mean is in docs/event-catalog.md.
 */
export interface AsyncApiDocument {
  readonly asyncapi: '3.0.0';
  readonly id: string;
  readonly info: AsyncApiInfo;
  readonly defaultContentType: string;
  readonly servers: Readonly<Record<string, AsyncApiServer>>;
  readonly channels: Readonly<Record<string, AsyncApiChannel>>;
  readonly operations: Readonly<Record<string, AsyncApiOperation>>;
}

export interface AsyncApiTag {
  readonly name: string;
  readonly description?: string;
}

export interface AsyncApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  /** One tag per service, described; operations carry the tag of their service. */
  readonly tags: readonly AsyncApiTag[];
}

export interface AsyncApiServer {
  readonly host: string;
  readonly pathname?: string;
  readonly protocol: string;
  readonly protocolVersion?: string;
  readonly title: string;
  readonly description: string;
}

export interface AsyncApiReference {
  readonly $ref: string;
}

/** One channel per event name; its address is the name, which is also the AMQP routing key. */
export interface AsyncApiChannel {
  readonly address: string;
  readonly title: string;
  readonly description: string;
  /** One message per version, keyed `<event name>.v<version>`. */
  readonly messages: Readonly<Record<string, AsyncApiMessage>>;
  readonly bindings: { readonly amqp: JsonObject };
}

export interface AsyncApiMessage {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly contentType: string;
  /** The registry's schema of this version with the envelope resolved into it: the whole event. */
  readonly payload: JsonObject;
  /** Set on a retired version: its producer no longer publishes it, consumers still accept it. */
  readonly deprecated?: true;
  readonly 'x-event-version': number;
  /** What the catalog found missing: no producer, no consumer group. Absent when nothing is. */
  readonly 'x-ates-warnings'?: readonly string[];
}

export interface AsyncApiOperation {
  readonly action: 'send' | 'receive';
  readonly channel: AsyncApiReference;
  readonly messages: readonly AsyncApiReference[];
  readonly title: string;
  readonly summary: string;
  readonly tags: readonly AsyncApiTag[];
  /** The service that sends or receives. */
  readonly 'x-service': string;
  /** On `receive`: the consumer group (one queue, one inbox scope) that receives. */
  readonly 'x-consumer-group'?: string;
}
