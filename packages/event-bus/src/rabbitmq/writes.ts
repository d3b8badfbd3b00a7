import type { Socket } from 'node:net';
import type { Connection } from 'rabbitmq-client';

const held = new WeakSet<Socket>();

/**
 * Coalesces what the connection writes until the end of this turn of the event loop into one
 * system call. rabbitmq-client writes every frame group (each publish, each ack) with its own
 * cork/uncork, so a batch of 500 publishes or the acks of a 16-delivery transaction cost as many
 * writes — in `bench:bus` the largest share of the process's CPU. Corking the socket around the
 * burst nests those cork/uncork pairs inside ours, and the writes go out together at setImmediate
 * (after the nextTick and microtask queues that carry them).
 *
 * It reaches into `Connection._socket`, which rabbitmq-client marks internal: if that ever stops
 * being a socket, this does nothing and writes simply go out one by one again.
 */
export const holdWrites = (connection: Connection): void => {
  const socket = (connection as unknown as { _socket?: Partial<Socket> })._socket;
  if (!socket || typeof socket.cork !== 'function' || typeof socket.uncork !== 'function') return;
  const s = socket as Socket;
  if (held.has(s)) return;
  held.add(s);
  s.cork();
  setImmediate(() => {
    held.delete(s);
    s.uncork();
  });
};
