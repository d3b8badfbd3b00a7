export { declaredConsumers, defineService, serviceNames } from './definition.js';
export type { ProducedEvent, ProducedEvents, ServiceContext, ServiceDefinition, ServiceName } from './definition.js';
export { commonEnv } from './common-config.js';
export type { CommonConfig } from './common-config.js';
export { runService } from './run.js';
export type { RunningService } from './run.js';
