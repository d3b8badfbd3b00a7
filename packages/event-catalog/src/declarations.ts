import { configError } from '@ates/errors';

/**
 * What the catalog reads of a service: `ServiceDefinition` from @ates/service fits it as it is
 * (its `produces` and its `consumers`, each `consumer({ name, handlers })` with handler `versions`).
 */
export interface CatalogService {
  readonly name: string;
  readonly description: string;
  readonly produces?: { readonly [event: string]: ProducedVersions | undefined };
  readonly consumers?: readonly CatalogConsumer[];
}

export interface ProducedVersions {
  readonly versions: readonly number[];
  readonly retired?: readonly number[];
}

export interface CatalogConsumer {
  readonly name: string;
  readonly handlers: { readonly [event: string]: { readonly versions: readonly number[] } | undefined };
}

/** The one service that publishes an event name: the versions it publishes now, and those it retired. */
export interface Producer {
  readonly service: string;
  readonly versions: readonly number[];
  readonly retired: readonly number[];
}

/** A consumer group that receives an event name, and the versions it accepts. */
export interface Receiver {
  readonly service: string;
  readonly group: string;
  readonly versions: readonly number[];
}

export interface Declarations {
  /** By event name. */
  readonly producers: ReadonlyMap<string, Producer>;
  /** By event name, in the order the services and their groups were given. */
  readonly receivers: ReadonlyMap<string, readonly Receiver[]>;
}

/** What the declarations may name: the registry's versions of each event the catalog shows. */
export type KnownVersions = ReadonlyMap<string, readonly number[]>;

const ascending = (versions: readonly number[]): number[] => [...versions].sort((a, b) => a - b);

const checkVersions = (known: KnownVersions, who: string, name: string, versions: readonly number[]): void => {
  const schemas = known.get(name);
  if (!schemas) throw configError(`${who} names ${name}, which has no schema in the registry`);
  const missing = versions.filter((v) => !schemas.includes(v));
  if (missing.length > 0) throw configError(`${who} names ${name} v${missing.join(', v')}, which has no schema`);
};

const producerOf = (known: KnownVersions, service: string, name: string, declared: ProducedVersions): Producer => {
  const versions = ascending(declared.versions);
  const retired = ascending(declared.retired ?? []);
  const who = `service ${service}`;
  checkVersions(known, who, name, [...versions, ...retired]);
  if (versions.length + retired.length === 0) throw configError(`${who} produces ${name} in no version`);
  const both = versions.filter((v) => retired.includes(v));
  if (both.length > 0) throw configError(`${who} declares ${name} v${both.join(', v')} both produced and retired`);
  return { service, versions, retired };
};

/**
 * Who produces and who receives each event, from the services' declarations, checked: every
 * name and version must have a schema, an event name has one producer (the service that owns
 * its schema's evolution), and a consumer group name is used once. A mistake throws a `config`
 * error naming it: the catalog would otherwise describe a system that cannot exist.
 */
export const collectDeclarations = (known: KnownVersions, services: readonly CatalogService[]): Declarations => {
  const producers = new Map<string, Producer>();
  const receivers = new Map<string, Receiver[]>();
  const groups = new Set<string>();
  for (const service of services) {
    for (const [name, declared] of Object.entries(service.produces ?? {})) {
      if (!declared) continue;
      const other = producers.get(name);
      if (other)
        throw configError(
          `${name} is produced by both ${other.service} and ${service.name}; one service owns an event`,
        );
      producers.set(name, producerOf(known, service.name, name, declared));
    }
    for (const group of service.consumers ?? []) {
      if (groups.has(group.name)) throw configError(`consumer group ${group.name} is declared twice`);
      groups.add(group.name);
      for (const [name, handler] of Object.entries(group.handlers)) {
        if (!handler) continue;
        checkVersions(known, `consumer group ${group.name}`, name, handler.versions);
        const receiver = { service: service.name, group: group.name, versions: ascending(handler.versions) };
        receivers.set(name, [...(receivers.get(name) ?? []), receiver]);
      }
    }
  }
  return { producers, receivers };
};

/**
 * What is missing around one event version, as sentences for the document and the page: no
 * service produces it (nor did), or it is produced now and no consumer group accepts it. A
 * retired version nobody accepts any more is simply at its end, not a gap.
 */
export const gapsOf = (declarations: Declarations, name: string, version: number): string[] => {
  const producer = declarations.producers.get(name);
  const produced = producer?.versions.includes(version) ?? false;
  const retired = producer?.retired.includes(version) ?? false;
  const accepted = (declarations.receivers.get(name) ?? []).some((r) => r.versions.includes(version));
  return [
    ...(produced || retired ? [] : [`${name} v${version}: no service declares that it produces it`]),
    ...(produced && !accepted ? [`${name} v${version}: no consumer group accepts it`] : []),
  ];
};
