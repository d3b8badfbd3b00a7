import type { ServiceDefinition, ServiceName } from '@ates/service';
import { authService } from '@ates/auth';
import { trackerService } from '@ates/tracker';
import { accountingService } from '@ates/accounting';
import { analyticsService } from '@ates/analytics';

/** Every service the CLI can serve, in start order. */
export const services: Record<ServiceName, ServiceDefinition> = {
  auth: authService as ServiceDefinition,
  tracker: trackerService as ServiceDefinition,
  accounting: accountingService as ServiceDefinition,
  analytics: analyticsService as ServiceDefinition,
};
