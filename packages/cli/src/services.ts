import type { ServiceDefinition, ServiceName } from '@ates/service';

/**
 * Every service the CLI can serve, loaded on demand: a process that serves the tracker does not
 * load the auth service's dependencies.
 */
export const serviceLoaders: Record<ServiceName, () => Promise<ServiceDefinition>> = {
  auth: async () => (await import('@ates/auth')).authService as ServiceDefinition,
  tracker: async () => (await import('@ates/tracker')).trackerService as ServiceDefinition,
  accounting: async () => (await import('@ates/accounting')).accountingService as ServiceDefinition,
  analytics: async () => (await import('@ates/analytics')).analyticsService as ServiceDefinition,
};

export const serviceNamesInOrder = Object.keys(serviceLoaders) as ServiceName[];

export const isServiceName = (name: string): name is ServiceName => Object.hasOwn(serviceLoaders, name);
