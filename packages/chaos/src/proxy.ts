import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP pass-through between one service process and its database or broker, whose link can be
 * cut: every open connection is reset and new ones are refused until `restore`, as a network
 * partition that the kernel reports would. It also tells which of its connections a server-side
 * client port belongs to (to find which process holds a database session).
 */
export interface LinkProxy {
  readonly port: number;
  readonly cutNow: boolean;
  cut(): void;
  restore(): void;
  /** The local ports of its connections to the target: the client ports the target sees. */
  upstreamPorts(): number[];
  close(): Promise<void>;
}

export const startLinkProxy = async (target: { host: string; port: number }): Promise<LinkProxy> => {
  let cut = false;
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const close = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    get cutNow() {
      return cut;
    },
    cut: () => {
      cut = true;
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    restore: () => {
      cut = false;
    },
    upstreamPorts: () => [...pairs].map((p) => p.upstream.localPort).filter((p): p is number => p !== undefined),
    close: async () => {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
