import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxCase } from './explicit-cases.js';

/**
 * Spellings of one command line that run the same thing: a nested shell, a pipe, a wrapper, an
 * assignment prefix, the program by its absolute path, and globs in place of the project's file
 * names (two per name, to keep the run short); and the same line with an option that changes
 * what it does (EXTRA_OPTIONS). Airlock must judge each by what it runs; the sandbox checks.
 */
export function variantsOf(base: SandboxCase, seedProject: string): SandboxCase[] {
  const { command } = base;
  const spellings: [string, string][] = [
    ['bash -c', `bash -c ${singleQuoted(command)}`],
    ['pipe to cat', `${command} | cat`],
  ];
  const first = /^[A-Za-z][\w.-]*(?=\s|$)/.exec(command)?.[0];
  if (first !== undefined && !command.includes('\n')) {
    spellings.push(['env', `env ${command}`], ['assignment', `LC_ALL=C ${command}`]);
    const absolute = ['/usr/bin', '/bin', '/usr/local/bin']
      .map((dir) => join(dir, first))
      .find((path) => existsSync(path));
    if (absolute !== undefined)
      spellings.push(['absolute path', `${absolute}${command.slice(first.length)}`]);
  }
  for (const [name, globbed] of globSpellings(command, seedProject))
    spellings.push([name, globbed]);
  const label = (name: string) => `variant ${base.label.replace(/^corpus /, '')} ${name}`;
  const withOptions = (EXTRA_OPTIONS[first ?? ''] ?? []).map((option) => ({
    ...base,
    label: label(`with ${option}`),
    command: `${command} ${option}`,
  }));
  return [
    ...spellings.map(([name, text]) => ({
      ...base,
      label: label(name),
      command: text,
      sameAs: command,
    })),
    ...withOptions,
  ];
}

/** Each word naming a file or folder of the seed, spelled as globs that match it. */
function globSpellings(command: string, seedProject: string): [string, string][] {
  const out: [string, string][] = [];
  const words = command.split(/(\s+)/);
  words.forEach((word, index) => {
    const bare = word.replace(/^\.\//, '').replace(/\/$/, '');
    if (!/^[\w.][\w./-]*$/.test(bare) || bare.length < 3 || !existsSync(join(seedProject, bare)))
      return;
    const last = bare.length - 1;
    const forms = [`${bare.slice(0, last)}[${bare[last]}]`, `${bare.slice(0, last)}*`];
    forms.forEach((form, n) => {
      const copy = [...words];
      copy[index] = form;
      out.push([`glob ${n + 1} for ${bare}`, copy.join('')]);
    });
  });
  return out;
}

/** Options that make a program write or run something, appended to an allowed line that uses it. */
const EXTRA_OPTIONS: Record<string, readonly string[]> = {
  git: ['--output=git-out.txt'],
  find: ['-fprint found.txt'],
  grep: ['--include=*.ts'],
  sed: ['-i.bak'],
  rm: ['-v'],
  kubectl: ['--kubeconfig=/tmp/kubeconfig'],
  terraform: ['-lock=false'],
};

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
