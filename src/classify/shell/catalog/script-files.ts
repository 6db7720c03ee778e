import { posix } from 'node:path';
import type { Finding, Invocation } from '../types.js';
import { found } from '../types.js';
import { folderVisible } from './package-scripts.js';

/**
 * Script files that will run: `bash file`, `source file`, `./file`. Their text is read and judged
 * as shell code when it is shell code; a program in another language, or a compiled one, is
 * `execute` (a program Airlock cannot see into); a file written earlier in the same command line,
 * or one that cannot be read, is `unknown`.
 */

/** Interpreters a `#!` line may name whose scripts Airlock judges as shell code. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'posh']);
/** Interpreters of other languages: their scripts are programs Airlock does not look into. */
const INTERPRETERS =
  /^(node|nodejs|python[0-9.]*|pypy[0-9.]*|ruby|perl|php|lua|luajit|deno|bun|tsx|ts-node|Rscript|julia|tclsh|wish|osascript|swift|elixir|escript|groovy|kotlin|scala|java|racket|guile|sbcl|clojure|node[0-9.]+)$/;
/** The why the reader gives a compiled program (see src/platform/shell-file-reader.ts). */
const COMPILED = 'compiled program';

/**
 * `bash FILE`, `sh FILE`, `source FILE`, `. FILE`: the shell reads FILE whatever its `#!` line says.
 * `written` is the file as typed: without a `/`, bash also searches PATH when it is not in cwd.
 */
export async function runShellFile(
  inv: Invocation,
  written: string,
  path: string,
): Promise<Finding[]> {
  const operation = `${inv.name} script`;
  const target = [{ type: 'path', id: path }];
  const read = await readScript(inv, operation, path);
  if (!('text' in read)) return read.findings;
  if (read.text === undefined) {
    // INVARIANT: a path with a `/` is opened as is: no such file and the shell runs nothing.
    if (!written.includes('/'))
      return found.unknown(operation, 'no such file here; the shell would search PATH', target);
    return missingFile(inv, operation, path);
  }
  return inv.shell(read.text);
}

/** `./file` or `path/to/file` run directly: the kernel picks the interpreter from the `#!` line. */
export async function runDirectFile(inv: Invocation, path: string): Promise<Finding[]> {
  const operation = 'project executable';
  const target = [{ type: 'path', id: path }];
  const read = await readScript(inv, operation, path);
  if (!('text' in read)) return read.findings;
  if (read.text === undefined) return missingFile(inv, operation, path);
  const interpreter = interpreterOf(read.text);
  // No `#!` line: the kernel refuses it (ENOEXEC) and bash runs the file with itself.
  if (interpreter === undefined || SHELLS.has(interpreter)) return inv.shell(read.text);
  if (INTERPRETERS.test(interpreter))
    return found.execute(`${operation} (a ${interpreter} program)`, target);
  return found.unknown(operation, `runs with \`${interpreter}\``, target);
}

/** No such file: nothing runs, if this reader sees the folder the file would be in (see folderVisible). */
async function missingFile(inv: Invocation, operation: string, path: string): Promise<Finding[]> {
  const target = [{ type: 'path', id: path }];
  if (await folderVisible(inv, posix.dirname(path)))
    return found.read(`${operation} (no such file: runs nothing)`, target);
  return found.unknown(
    operation,
    `the folder ${posix.dirname(path)} is not visible to Airlock`,
    target,
  );
}

/** The file's text, `undefined` text when there is no such file, or the findings that end the matter. */
async function readScript(
  inv: Invocation,
  operation: string,
  path: string,
): Promise<{ text: string | undefined } | { findings: Finding[] }> {
  const target = [{ type: 'path', id: path }];
  // SECURITY: what is on disk now is not what will run if this same line writes it first.
  if (inv.mayHaveWritten(path))
    return {
      findings: found.unknown(
        operation,
        'the file is written earlier in this command line',
        target,
      ),
    };
  if (inv.files === undefined)
    return { findings: found.unknown(operation, 'the file cannot be read here', target) };
  const read = await inv.files.read(path);
  if (read.kind === 'missing') return { text: undefined };
  if (read.kind === 'unreadable') {
    if (read.why.startsWith(COMPILED))
      return { findings: found.execute(`${operation} (${read.why})`, target) };
    return { findings: found.unknown(operation, `cannot read the file: ${read.why}`, target) };
  }
  return { text: read.text };
}

/**
 * The program a `#!` line names (`/usr/bin/env python3` → `python3`); `env` with options
 * (`env -S …`) gives `env -S`, which no list holds. Undefined without a `#!` line.
 */
export function interpreterOf(text: string): string | undefined {
  if (!text.startsWith('#!')) return undefined;
  const words = (text.slice(2).split('\n')[0] ?? '').trim().split(/[ \t]+/);
  const program = posix.basename(words[0] ?? '');
  if (program !== 'env') return program;
  const next = words[1] ?? '';
  return next.startsWith('-')
    ? `env ${next}`
    : next.includes('=')
      ? 'env NAME=value'
      : posix.basename(next);
}
