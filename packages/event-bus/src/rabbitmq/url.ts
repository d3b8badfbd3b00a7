import type { AppError } from '@ates/errors';
import { configError } from '@ates/errors';

/** What `rabbitmq-client` needs from EVENT_TRANSPORT_URL: where, who, which virtual host. */
export interface BrokerAddress {
  /** host:port of every node; the client tries them in turn (round robin) on each reconnect. */
  readonly hosts: readonly string[];
  readonly username: string;
  readonly password: string;
  readonly vhost: string;
  readonly tls: boolean;
  /** `?heartbeat=` in seconds, when the URL sets it. */
  readonly heartbeatSeconds?: number;
}

const invalid = (url: string, why: string): AppError =>
  configError(`Invalid EVENT_TRANSPORT_URL ${JSON.stringify(redact(url))}: ${why}.`);

/** The URL with its password replaced, for error messages and logs. */
export const redact = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/**
 * Parses `amqp://user:pass@host1:5672,host2:5672,host3/vhost?heartbeat=10` (or `amqps://`): a
 * cluster is listed as comma-separated nodes in the authority, as most AMQP clients accept it.
 * WHATWG `URL` cannot parse several hosts, so the authority is split first.
 */
export const parseBrokerUrl = (url: string): BrokerAddress => {
  const match = /^(amqps?):\/\/(?:([^@/]*)@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/.exec(url);
  if (!match) throw invalid(url, 'expected amqp://user:password@host:port/vhost');
  const [, scheme, userinfo = 'guest:guest', authority = '', path = '/', query = ''] = match;
  const tls = scheme === 'amqps';
  const hosts = authority.split(',').map((host) => host.trim());
  if (hosts.some((h) => !/^(\[[0-9a-f:.]+\]|[^:[\]]+)(:\d{1,5})?$/i.test(h)))
    throw invalid(url, 'expected host or host:port, comma-separated for a cluster');
  const [user = '', ...rest] = userinfo.split(':');
  const vhostPart = path.slice(1);
  const heartbeat = new URLSearchParams(query).get('heartbeat');
  if (heartbeat !== null && !/^\d+$/.test(heartbeat)) throw invalid(url, 'heartbeat must be whole seconds');
  return {
    hosts: hosts.map((h) => (/:\d+$/.test(h) ? h : `${h}:${tls ? 5671 : 5672}`)),
    username: decodeURIComponent(user),
    password: decodeURIComponent(rest.join(':')),
    vhost: vhostPart === '' ? '/' : decodeURIComponent(vhostPart),
    tls,
    ...(heartbeat === null ? {} : { heartbeatSeconds: Number(heartbeat) }),
  };
};

export const isBrokerUrl = (url: string): boolean => /^amqps?:\/\//.test(url);

/** The first node of `url`, for tools that talk to one (the test proxy). */
export const firstNode = (url: string): { readonly host: string; readonly port: number } => {
  const [host = '', port = ''] = (parseBrokerUrl(url).hosts[0] ?? '').split(':');
  return { host, port: Number(port) };
};

/** `url` pointed at one other node (host:port), credentials and virtual host kept. */
export const viaNode = (url: string, host: string, port: number): string =>
  url.replace(/^(amqps?:\/\/(?:[^@/]*@)?)[^/?#]*/, `$1${host}:${port}`);
