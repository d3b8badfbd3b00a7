import { runService, type RunningService } from '@ates/service';
import { configError } from '@ates/errors';
import { isServiceName, serviceLoaders, serviceNamesInOrder } from './services.js';
import { exitCodes, reportFatal } from './exit.js';
import { listeningMessage } from './start/supervisor.js';

const shutdownDeadlineMs = 9_000;

/**
 * `ates serve <service>`: one service, configured by environment variables only. SIGINT or
 * SIGTERM stops it gracefully; if that takes longer than the deadline the process exits anyway.
 */
export const serve = async (name: string): Promise<void> => {
  if (!isServiceName(name)) {
    process.exitCode = reportFatal(
      'ates serve',
      configError(`Unknown service ${JSON.stringify(name)}: expected one of ${serviceNamesInOrder.join(', ')}.`),
    );
    return;
  }
  // Started by `ates start`, with a channel to say when it listens; the channel must not keep
  // the process alive once the service has stopped.
  process.channel?.unref();
  let running: RunningService;
  try {
    running = await runService(await serviceLoaders[name](), process.env);
  } catch (error) {
    process.exitCode = reportFatal(`ates serve ${name}`, error);
    return;
  }
  process.send?.(listeningMessage);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      running.logger.error('shutdown deadline passed; exiting');
      process.exit(exitCodes.failure);
    }, shutdownDeadlineMs).unref();
    running.stop().then(
      () => {
        running.logger.info('stopped');
        process.exitCode = exitCodes.ok;
      },
      (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        process.exitCode = exitCodes.failure;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};
