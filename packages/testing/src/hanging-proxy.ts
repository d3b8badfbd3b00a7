import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP pass-through to `target` that can be made to hang, as a process stopped with SIGSTOP does:
 * connections are accepted and kept open, and nothing is answered — not refused, not reset. What
 * a client sends while hung is counted (`stalledWrites`), so a test can tell that a request reached
 * the hung service without timing anything.
 */
export interface HangingProxy {
  readonly url: string;
  /** Chunks of data clients sent while the proxy hung. */
  readonly stalledWrites: number;
  hang(): void;
  /** Answers again; connections that lost data while hung are dropped, as a restart would. */
  resume(): void;
  close(): Promise<void>;
}

export const startHangingProxy = async (target: { host: string; port: number }): Promise<HangingProxy> => {
  let hung = false;
  let stalledWrites = 0;
  const sockets = new Set<Socket>();
  const broken = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      broken.delete(socket);
    });
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.on('data', (chunk) => {
      if (!hung) upstream.write(chunk);
      else {
        stalledWrites += 1;
        broken.add(client);
      }
    });
    upstream.on('data', (chunk) => {
      if (!hung) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get stalledWrites() {
      return stalledWrites;
    },
    hang: () => {
      hung = true;
    },
    resume: () => {
      hung = false;
      for (const socket of broken) socket.destroy();
      broken.clear();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
