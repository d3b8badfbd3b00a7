import { createServer } from 'node:net';
import { configError } from '@ates/errors';

/** Fails with one clear line when `port` on 127.0.0.1 is already taken. */
export const assertPortFree = (port: number, owner: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? configError(`Port ${port} is already in use; it is needed for ${owner}.`)
          : configError(`Port ${port} cannot be used for ${owner}: ${error.code ?? error.message}.`),
      );
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
