import { describe, expect, it } from 'vitest';
import { isAppError } from '@ates/errors';
import {
  describeSpec,
  httpUrl,
  integer,
  oneOf,
  port,
  postgresUrl,
  readConfig,
  redactUrl,
  transportUrl,
} from './index.js';

const spec = {
  PORT: port('HTTP port.', 4001),
  DATABASE_URL: postgresUrl('Database.'),
  LOG_LEVEL: oneOf('Level.', ['info', 'debug'] as const, 'info'),
  POOL: integer('Pool size.', 10, 1, 50),
  ISSUER: httpUrl('Issuer.', 'http://localhost:4000/'),
};
const valid = { DATABASE_URL: 'postgres://u:secret@db:5432/tracker' };

const errorOf = (env: NodeJS.ProcessEnv): string => {
  try {
    readConfig(spec, env);
  } catch (error) {
    expect(isAppError(error) && error.code).toBe('config.invalid');
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('readConfig', () => {
  it('applies defaults and parses values', () => {
    expect(readConfig(spec, { ...valid, POOL: '20' })).toEqual({
      PORT: 4001,
      DATABASE_URL: valid.DATABASE_URL,
      LOG_LEVEL: 'info',
      POOL: 20,
      ISSUER: 'http://localhost:4000',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(readConfig(spec, { ...valid, PORT: '' }).PORT).toBe(4001);
  });

  it('names a missing required variable', () => {
    expect(errorOf({})).toMatch(/^Missing environment variable DATABASE_URL: expected a PostgreSQL URL/);
  });

  it.each([
    ['PORT', 'abc', /Invalid environment variable PORT="abc": expected a TCP port from 1 to 65535/],
    ['PORT', '70000', /PORT="70000"/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud": expected one of info, debug/],
    ['POOL', '0', /POOL="0": expected a whole number from 1 to 50/],
    ['ISSUER', 'ftp://x', /ISSUER="ftp:\/\/x": expected an http\(s\) URL/],
    ['DATABASE_URL', 'mysql://x/y', /DATABASE_URL="mysql:\/\/x\/y"/],
  ])('rejects %s=%s with one line naming it', (name, value, message) => {
    const text = errorOf({ ...valid, [name]: value });
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('never prints a password from a URL', () => {
    expect(errorOf({ DATABASE_URL: 'postgres://u:hunter2@db:5432/' })).not.toContain('hunter2');
    expect(redactUrl('postgres://u:hunter2@db/x')).toBe('postgres://u:***@db/x');
    expect(redactUrl('amqp://u:hunter2@r0:5672,r1:5672/v')).toBe('amqp://u:***@r0:5672,r1:5672/v');
  });
});

describe('transportUrl', () => {
  const spec = { EVENT_TRANSPORT_URL: transportUrl('where events travel') };
  it('accepts a PostgreSQL database and a RabbitMQ node or cluster', () => {
    for (const url of [
      'postgres://u:p@db:5432/ates_bus',
      'amqp://guest:guest@127.0.0.1:5672',
      'amqps://u:p@r0,r1:5671/ates',
    ])
      expect(readConfig(spec, { EVENT_TRANSPORT_URL: url }).EVENT_TRANSPORT_URL).toBe(url);
  });
  it('refuses anything else, without printing the password', () => {
    expect(() => readConfig(spec, { EVENT_TRANSPORT_URL: 'kafka://u:hunter2@k:9092' })).toThrow(/amqp:\/\//);
    expect(() => readConfig(spec, { EVENT_TRANSPORT_URL: 'postgres://u:hunter2@db' })).not.toThrow(/hunter2/);
  });
});

describe('describeSpec', () => {
  it('documents each variable with its default', () => {
    expect(describeSpec(spec).find((v) => v.name === 'PORT')).toEqual({
      name: 'PORT',
      description: 'HTTP port.',
      default: '4001',
      expected: 'a TCP port from 1 to 65535',
    });
    expect(describeSpec(spec).find((v) => v.name === 'DATABASE_URL')?.default).toBeUndefined();
  });
});
