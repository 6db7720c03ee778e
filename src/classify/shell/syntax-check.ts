import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getProcessor } from 'sh-syntax';
import type { Script } from './ast.js';
import { wordDisagreement } from './word-check.js';

/**
 * mvdan/sh (compiled to WebAssembly, package `sh-syntax`) is the authority on what bash accepts.
 * Its JavaScript build only exposes top-level statement positions, not the full tree, so our own
 * parser builds the tree and this check makes mvdan/sh vouch for it: the text must be valid bash
 * to mvdan/sh and both parsers must see the same top-level statements at the same offsets. Any
 * disagreement means one of them misread the text, and the classifier answers `unknown`.
 */

type Processor = (text: string) => Promise<{ Stmts?: { Pos: { Offset: number } }[] }>;

let processor: Processor | undefined;

/** The runtime's WebAssembly API (this project's TypeScript lib settings do not declare it). */
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; instantiate(module: object, imports: unknown): Promise<object> } }).WebAssembly;

/** The parser, with the WebAssembly module compiled once per process (not once per call). */
function mvdanParser(): Processor {
  if (processor !== undefined) return processor;
  const wasmPath = createRequire(import.meta.url).resolve('sh-syntax/main.wasm');
  const module = new wasm.Module(readFileSync(wasmPath));
  const process = getProcessor(((imports: unknown) => wasm.instantiate(module, imports)) as never) as unknown as (
    text: string,
    options: { keepComments: boolean },
  ) => ReturnType<Processor>;
  processor = (text) => process(text, { keepComments: false });
  return processor;
}

/** Why mvdan/sh disagrees with our tree, or undefined when it vouches for it. */
export async function mvdanDisagreement(source: string, script: Script): Promise<string | undefined> {
  let file: Awaited<ReturnType<Processor>>;
  try {
    file = await mvdanParser()(source);
  } catch (error) {
    return `mvdan/sh rejects the command: ${error instanceof Error ? error.message : String(error)}`;
  }
  const theirs = (file.Stmts ?? []).map((stmt) => stmt.Pos.Offset);
  const ours = script.statementStarts.map((offset) => Buffer.byteLength(source.slice(0, offset), 'utf8'));
  if (theirs.length !== ours.length || theirs.some((offset, index) => offset !== ours[index])) {
    return 'the shell parsers disagree on where statements begin';
  }
  // Statement boundaries agree: now every simple command's words (mvdan/sh's full tree).
  return wordDisagreement(source, script);
}
