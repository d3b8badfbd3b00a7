import { connectTransport, declareConsumers, type Transport } from '@ates/event-bus';
import { configError } from '@ates/errors';
import { declaredConsumers, type ServiceName } from '@ates/service';
import { isServiceName, serviceLoaders, serviceNamesInOrder } from '../services.js';
import { transportTarget } from './target.js';

export interface DeclaredGroup {
  readonly service: ServiceName;
  readonly group: string;
  readonly events: readonly string[];
}

/**
 * Declares every consumer group of these services — queues and bindings, from their definitions
 * (`declaredConsumers`) — so that the broker keeps their events from now on, before any of their
 * processes runs. Idempotent, and only ever adds bindings.
 */
export const declareServices = async (
  transport: Pick<Transport, 'declare'>,
  names: readonly ServiceName[],
): Promise<DeclaredGroup[]> => {
  const declared: DeclaredGroup[] = [];
  for (const name of names) {
    const consumers = declaredConsumers(await serviceLoaders[name]());
    await declareConsumers(transport, consumers);
    declared.push(...consumers.map((c) => ({ service: name, group: c.name, events: Object.keys(c.handlers) })));
  }
  return declared;
};

const withTransport = async <T>(work: (transport: Transport) => Promise<T>): Promise<T> => {
  const transport = await connectTransport(await transportTarget(), { applicationName: 'ates-cli' });
  try {
    return await work(transport);
  } finally {
    await transport.close();
  }
};

/** `ates bus declare [--service S…]`: every service's groups by default. */
export const busDeclareCommand = async (
  options: { service?: readonly string[] },
  print: (line: string) => void,
): Promise<void> => {
  const names = options.service ?? serviceNamesInOrder;
  const unknown = names.find((n) => !isServiceName(n));
  if (unknown !== undefined)
    throw configError(`Unknown service ${JSON.stringify(unknown)}: expected one of ${serviceNamesInOrder.join(', ')}.`);
  const declared = await withTransport((transport) => declareServices(transport, names as ServiceName[]));
  for (const d of declared) print(`${d.service.padEnd(11)} ${d.group.padEnd(24)} ${d.events.join(', ')}`);
  print(`${declared.length} consumer group(s) declared.`);
};

/** `ates bus unbind --group G --event E…`: the deploy step that retires a removed handler's binding. */
export const busUnbindCommand = async (
  options: { group: string; event: readonly string[] },
  print: (line: string) => void,
): Promise<void> => {
  await withTransport((transport) => transport.unbind(options.group, options.event));
  print(`${options.group} no longer receives ${options.event.join(', ')}.`);
};
