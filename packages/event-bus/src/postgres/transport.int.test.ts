import { createTestDatabase } from '@ates/testing';
import { describeTransportCompliance } from '../compliance/suite.js';

describeTransportCompliance('postgres', {
  module: new URL('./compliance-connect.ts', import.meta.url).href,
  provision: () => createTestDatabase('bus'),
  serviceDatabase: () => createTestDatabase('svc'),
  endpoint: (url) => {
    const u = new URL(url);
    return { host: u.hostname, port: Number(u.port || 5432) };
  },
  via: (url, host, port) => {
    const u = new URL(url);
    u.hostname = host;
    u.port = String(port);
    return u.toString();
  },
});
