import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP pass-through that can be cut and restored: `stop()` closes the listening socket and
 * drops every connection (clients see resets, then "connection refused"), `start()` listens on
 * the same port again. The outage a broker restart or a network failure causes, for real.
 *
 * `blackhole()` is the nastier failure: nothing is reset, connections stay open and new ones are
 * accepted, but no byte gets through either way — only timeouts and heartbeats can tell.
 * `restore()` ends it; connections that lived through it are dropped then, since bytes were lost
 * inside them (as their TCP would time out in the end).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  private blackholed = false;
  private readonly swallowed = new Set<Socket>();

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  blackhole(): void {
    this.blackholed = true;
    for (const socket of this.sockets) this.swallowed.add(socket);
  }

  restore(): void {
    this.blackholed = false;
    for (const socket of this.swallowed) socket.destroy();
    this.swallowed.clear();
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.blackholed) {
      // Accepted and then silent, like a host behind a dropped route.
      this.swallowed.add(client);
      client.on('data', () => undefined);
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    this.track(upstream);
    const forward = (from: Socket, to: Socket): void => {
      from.on('data', (chunk) => {
        if (this.blackholed) {
          this.swallowed.add(from).add(to);
          return;
        }
        to.write(chunk);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.swallowed.delete(socket);
    });
    socket.on('error', () => undefined);
  }
}
