#!/usr/bin/env node
// The agent-hook entry: agent clients run it before every tool call, so it must start fast.
// It loads the bundle `npm ci` builds (`npm run build:hook`, into dist/hook) and falls back to
// the TypeScript sources through tsx (slow, ~1 s) when the bundle is missing.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/hook/hook-main.js', import.meta.url);
let entry;
if (existsSync(bundle)) {
  entry = await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import('../src/cli/hook-main.ts');
}
await entry.main(process.argv.slice(2));
