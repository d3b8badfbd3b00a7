// Compiles the CLI and the services (our TypeScript only) into plain ESM with esbuild, so that
// `ates` and every service process start on plain Node rather than through a TypeScript loader
// (about twice as fast to start). Third-party packages stay external and load from
// node_modules. `import.meta.url` keeps pointing at the original source file, so paths relative
// to a source file (schema folders, assets) resolve exactly as they do in tests.
//
// The bundle is rebuilt only when a source is newer than it. Each build goes to its own folder
// and `current` is switched atomically, so a rebuild never changes files under a running service.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = path.join(root, 'node_modules', '.cache', 'ates');
const pointer = path.join(cacheDir, 'current');
const sourceDirs = ['packages', 'services'];
const oneDayMs = 86_400_000;

const newestSource = async () => {
  let newest = (await stat(path.join(root, 'package-lock.json')).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
  for (const top of sourceDirs) {
    const entries = await readdir(path.join(root, top), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || entry.parentPath.includes('node_modules')) continue;
      if (!/\.(ts|json)$/.test(entry.name)) continue;
      const { mtimeMs } = await stat(path.join(entry.parentPath, entry.name));
      if (mtimeMs > newest) newest = mtimeMs;
    }
  }
  return newest;
};

const currentBuild = async () => {
  try {
    const dir = (await readFile(pointer, 'utf8')).trim();
    const built = await stat(path.join(dir, 'main.js'));
    return { dir, builtAt: built.mtimeMs };
  } catch {
    return undefined;
  }
};

const sourcesOnly = {
  name: 'ates-sources-only',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@ates/') ? undefined : { path: args.path, external: true },
    );
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return {
        contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};

const pruneOldBuilds = async (keep) => {
  for (const name of await readdir(cacheDir).catch(() => [])) {
    const dir = path.join(cacheDir, name);
    if (dir === keep || name === 'current') continue;
    const { mtimeMs } = await stat(dir).catch(() => ({ mtimeMs: Date.now() }));
    if (Date.now() - mtimeMs > oneDayMs) await rm(dir, { recursive: true, force: true });
  }
};

/** Returns the path of an up-to-date bundle entry point, building it when a source changed. */
export const ensureBuilt = async () => {
  const [found, newest] = await Promise.all([currentBuild(), newestSource()]);
  if (found && found.builtAt >= newest) return path.join(found.dir, 'main.js');
  const { build, stop } = await import('esbuild');
  const dir = path.join(cacheDir, `build-${Date.now()}-${process.pid}`);
  await build({
    entryPoints: { main: path.join(root, 'packages/cli/src/main.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: dir,
    sourcemap: 'linked',
    logLevel: 'error',
    plugins: [sourcesOnly],
  });
  // esbuild keeps a service process alive for further builds; this process builds once.
  await stop();
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${pointer}.${process.pid}`;
  await writeFile(tmp, dir);
  await rename(tmp, pointer);
  await pruneOldBuilds(dir);
  return path.join(dir, 'main.js');
};
