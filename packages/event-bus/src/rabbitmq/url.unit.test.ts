import { describe, expect, it } from 'vitest';
import { parseBrokerUrl, redact } from './url.js';

describe('parseBrokerUrl', () => {
  it('reads one node, credentials and the virtual host', () => {
    expect(parseBrokerUrl('amqp://guest:guest@127.0.0.1:5672/ates%2Ftest')).toEqual({
      hosts: ['127.0.0.1:5672'],
      username: 'guest',
      password: 'guest',
      vhost: 'ates/test',
      tls: false,
    });
  });

  it('reads a cluster as comma-separated nodes, defaulting ports, and the heartbeat', () => {
    expect(parseBrokerUrl('amqps://app:p%40ss:word@rabbit-0,rabbit-1:5673,rabbit-2?heartbeat=10')).toEqual({
      hosts: ['rabbit-0:5671', 'rabbit-1:5673', 'rabbit-2:5671'],
      username: 'app',
      password: 'p@ss:word',
      vhost: '/',
      tls: true,
      heartbeatSeconds: 10,
    });
  });

  it('names what is wrong, without the password', () => {
    expect(() => parseBrokerUrl('amqp://u:secret@host:port/x')).toThrow(/host or host:port/);
    expect(() => parseBrokerUrl('amqp://u:secret@host:port/x')).not.toThrow(/secret/);
    expect(() => parseBrokerUrl('amqp://h?heartbeat=fast')).toThrow(/heartbeat/);
    expect(redact('amqp://u:secret@h/v')).toBe('amqp://u:***@h/v');
  });
});
