import { createTestDatabase } from '@ates/testing';
import { describeTransportCompliance } from '../compliance/suite.js';
import { rabbitFailureTests } from './broker-failures.js';
import { createTestVhost } from './test-broker.js';
import { firstNode, viaNode } from './url.js';

describeTransportCompliance(
  'rabbitmq',
  {
    module: new URL('./compliance-connect.ts', import.meta.url).href,
    provision: () => createTestVhost('bus'),
    serviceDatabase: () => createTestDatabase('svc'),
    endpoint: firstNode,
    via: viaNode,
  },
  rabbitFailureTests,
);
