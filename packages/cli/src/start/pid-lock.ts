import { open, readFile, rm } from 'node:fs/promises';
import { configError } from '@ates/errors';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One `npm start` per data directory: the pid file is created exclusively; a file left by a
 * process that no longer runs is taken over. Returns the release function.
 */
export const acquirePidLock = async (file: string): Promise<() => Promise<void>> => {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw configError(
          `Cannot write ${file} (${(error as NodeJS.ErrnoException).code}): set ATES_HOME to a writable directory.`,
        );
      }
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw configError(
          `aTES is already running from this data directory (pid ${pid}, ${file}); stop it first or set ATES_HOME.`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw configError(`Cannot take the lock ${file}.`);
};
