#!/usr/bin/env node
'use strict';
// The agent-hook entry: agent clients run it before every tool call, so it must start fast.
// CommonJS on purpose (Node starts it sooner than an ES module). It loads the bundles `npm ci`
// builds (`npm run build:hook`, into dist/hook): the small client-mode part first, the
// standalone judge only when there is no server to forward to. Without the bundles it runs the
// TypeScript sources through tsx (slow, ~1 s).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const fast = join(__dirname, '..', 'dist', 'hook', 'hook-fast.cjs');
const full = join(__dirname, '..', 'dist', 'hook', 'hook-main.js');
if (existsSync(fast) && existsSync(full)) {
  require(fast).main(
    process.argv.slice(2),
    async () => (await import(pathToFileURL(full).href)).standaloneAnswer,
  );
} else {
  (async () => {
    const { register } = await import('tsx/esm/api');
    register();
    const sources = await import(
      pathToFileURL(join(__dirname, '..', 'src', 'cli', 'hook', 'hook-main.ts')).href
    );
    await sources.main(process.argv.slice(2));
  })();
}
