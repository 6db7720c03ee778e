import { spawnSync } from 'node:child_process';
import { readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { build } from 'esbuild';

/**
 * Builds the fast hook entry into `dist/hook/` (gitignored; `npm ci` runs this through the
 * `prepare` script): `hook-fast.cjs`, the client-mode part as one CommonJS file (it loads
 * nothing but node:http), and `hook-main.js`, the standalone judge as ES modules with what it
 * needs split into chunks loaded on demand. Packages stay external (resolved from node_modules
 * at run time). Run:
 * `npm run build:hook`.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Where the bundles go; `bin/airlock-hook.cjs` loads `hook-fast.cjs` and `hook-main.js` from here. */
export const HOOK_BUNDLE_DIR = join(ROOT, 'dist', 'hook');

/**
 * Sources that read files next to themselves (`new URL('./x', import.meta.url)`: the default
 * policy, the Cedar schema) keep their original location: each file's `import.meta.url` is
 * replaced by the URL of its source file, so the bundle finds the same files.
 */
const keepSourceUrls: Plugin = {
  name: 'keep-source-urls',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta')) return { contents: text, loader: 'ts' };
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const contents = text
        .replaceAll('import.meta.url', url)
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * The client-mode bundle needs only the hook protocols (input parsing, answer formats) from
 * `adapters/hooks`; its barrel also exports the judge, whose imports (the firewall, yaml, zod,
 * undici) would be loaded at start. The sources import the barrel (the architecture rule);
 * this bundle takes the protocols module alone.
 */
const protocolsOnly: Plugin = {
  name: 'hook-protocols-only',
  setup(builder) {
    builder.onResolve({ filter: /adapters\/hooks\/index\.js$/ }, () => ({
      path: join(ROOT, 'src', 'adapters', 'hooks', 'protocols.ts'),
    }));
  },
};

/** Builds into a fresh folder and swaps it in, so a concurrent reader never sees half a bundle. */
export async function buildHookBundle(): Promise<string> {
  const staging = `${HOOK_BUNDLE_DIR}.build-${process.pid}-${Date.now()}`;
  await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'hook', 'hook-main.ts')],
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [keepSourceUrls],
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'hook', 'hook-fast.ts')],
    outfile: join(staging, 'hook-fast.cjs'),
    bundle: true,
    plugins: [protocolsOnly],
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  compileNativeHook(staging);
  const old = `${HOOK_BUNDLE_DIR}.old-${process.pid}-${Date.now()}`;
  await rename(HOOK_BUNDLE_DIR, old).catch(() => undefined);
  await rename(staging, HOOK_BUNDLE_DIR);
  await rm(old, { recursive: true, force: true });
  return HOOK_BUNDLE_DIR;
}

/** Where the native client-mode hook is built, when a C compiler is at hand. */
export const NATIVE_HOOK_NAME = 'airlock-hook';

/**
 * Compiles `native/airlock-hook.c` (the client-mode hook that starts in about a millisecond) into
 * the bundle folder. Optional: without a C compiler the Node hook serves, only slower to start.
 */
function compileNativeHook(dir: string): void {
  const source = join(ROOT, 'native', 'airlock-hook.c');
  const compiled = spawnSync('cc', ['-O2', '-o', join(dir, NATIVE_HOOK_NAME), source], {
    encoding: 'utf8',
  });
  if (compiled.status !== 0) {
    process.stderr.write(
      `note: the native hook was not built (${compiled.error?.message ?? compiled.stderr.trim()}); the Node hook serves instead\n`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = await buildHookBundle();
  process.stdout.write(`built the hook entry in ${dir}\n`);
}
