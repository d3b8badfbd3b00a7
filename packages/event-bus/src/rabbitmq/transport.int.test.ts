import { createTestDatabase } from '@ates/testing';
import { describeTransportCompliance } from '../compliance/suite.js';
import { createTestVhost } from './test-broker.js';
import { parseBrokerUrl } from './url.js';

describeTransportCompliance('rabbitmq', {
  module: new URL('./compliance-connect.ts', import.meta.url).href,
  provision: () => createTestVhost('bus'),
  serviceDatabase: () => createTestDatabase('svc'),
  endpoint: (url) => {
    const [host = '', port = ''] = (parseBrokerUrl(url).hosts[0] ?? '').split(':');
    return { host, port: Number(port) };
  },
  via: (url, host, port) => url.replace(/^(amqps?:\/\/(?:[^@/]*@)?)[^/?#]*/, `$1${host}:${port}`),
});
