import type { CommandSpecInput } from '../command-schema.js';

/** Commands that create or change files and folders without losing content (or, with an option, that do). */
export const FILE_CHANGE_COMMANDS: readonly CommandSpecInput[] = [
  {
    name: 'mkdir', package: 'coreutils', effect: 'write', reversible: true, why: 'creates folders; nothing existing is lost',
    operands: { default: 'written' }, otherOptions: 'harmless',
    options: [{ names: ['-m', '--mode'], takesValue: true, does: 'harmless', why: 'mode' }, { names: ['--context', '-Z'], takesValue: 'optional', does: 'harmless', why: 'SELinux context' }],
    examples: [{ command: 'mkdir -p build/tmp', effect: 'write' }],
  },
  {
    name: 'touch', package: 'coreutils', effect: 'write', reversible: true, why: 'creates empty files or updates times; content is kept',
    operands: { default: 'written' }, otherOptions: 'harmless',
    options: [{ names: ['-d', '--date', '-t', '-r', '--reference', '--time'], takesValue: true, does: 'harmless', why: 'which time' }],
    examples: [{ command: 'touch notes.md', effect: 'write' }],
  },
  {
    name: 'chmod', package: 'coreutils', effect: 'write', reversible: true,
    why: 'changes permission bits; the first operand is the mode. Recursively, the old modes of a whole tree are lost, so -R is judged like overwriting it',
    operands: { default: 'written', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [
      { names: ['-R', '--recursive'], does: 'harmless', operands: 'overwritten', why: 'changes a whole tree' },
      { names: ['--reference'], takesValue: true, does: 'reads', why: 'copies the mode of this file' },
    ],
    examples: [{ command: 'chmod +x src/app.ts', effect: 'write' }],
  },
  {
    name: 'chown', aliases: ['chgrp'], package: 'coreutils', effect: 'write', reversible: true,
    why: 'changes owners; the first operand is the owner. Recursively, the old owners of a tree are lost',
    operands: { default: 'written', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [
      { names: ['-R', '--recursive'], does: 'harmless', operands: 'overwritten', why: 'changes a whole tree' },
      { names: ['--reference', '--from'], takesValue: true, does: 'reads', why: 'copies or filters owners' },
    ],
    examples: [{ command: 'chown "$(id -u)" src/app.ts', effect: 'write' }],
  },
  {
    name: 'rmdir', package: 'coreutils', effect: 'write', reversible: true, why: 'removes empty folders only; nothing with content is lost',
    operands: { default: 'written' }, otherOptions: 'harmless',
    examples: [{ command: 'mkdir -p /tmp/empty-dir && rmdir /tmp/empty-dir', effect: 'write' }],
  },
  {
    name: 'mktemp', package: 'coreutils', effect: 'write', reversible: true,
    why: 'creates a new uniquely named file or folder in $TMPDIR (or -p DIR, or the template’s folder); the operand is a template',
    otherOptions: 'harmless', outputs: 'temporary',
    options: [
      { names: ['-p'], takesValue: true, does: 'harmless', why: 'the folder it creates in (derived-outputs.ts)' },
      { names: ['--tmpdir'], takesValue: 'optional', does: 'harmless', why: 'the folder it creates in, $TMPDIR without a value (derived-outputs.ts)' },
      { names: ['-t'], does: 'harmless', why: 'the template is in $TMPDIR' },
      { names: ['--suffix'], takesValue: true, does: 'harmless', why: 'how to name it' },
    ],
    examples: [{ command: 'mktemp', effect: 'write' }, { command: 'mktemp -d', effect: 'write' }, { command: 'mktemp -p /tmp work.XXXXXX', effect: 'write' }, { command: 'mktemp build.XXXXXX', effect: 'write' }],
  },
  {
    name: 'split', package: 'coreutils', effect: 'write', reversible: true,
    why: 'writes pieces of a file to PREFIXaa, PREFIXab… (the second operand is the prefix, default `x`); `--filter` runs shell code for each piece',
    operands: { default: 'read', positions: { '1': 'data' } }, otherOptions: 'harmless', outputs: 'pieces',
    options: [
      { names: ['--filter'], takesValue: true, does: 'runs-shell', why: 'pipes each piece to this shell command' },
      { names: ['-a', '--suffix-length', '-b', '--bytes', '-C', '--line-bytes', '-l', '--lines', '-n', '--number', '-t', '--separator', '--numeric-suffixes', '--hex-suffixes'], takesValue: true, does: 'harmless', why: 'how to split and name' },
      { names: ['--additional-suffix'], takesValue: true, does: 'harmless', why: 'ends every piece’s name (derived-outputs.ts)' },
    ],
    examples: [{ command: 'split -l 10 src/app.ts /tmp/piece-', effect: 'write' }, { command: 'cd /tmp && split -l 5 /repo/src/app.ts', effect: 'write' }],
  },
  {
    name: 'csplit', package: 'coreutils', effect: 'write', reversible: true, why: 'writes pieces of a file to xx00, xx01… (or `-f PREFIX`); the other operands are patterns',
    operands: { default: 'data', positions: { '0': 'read' } }, otherOptions: 'harmless', outputs: 'prefixed-pieces',
    options: [
      { names: ['-f', '--prefix'], takesValue: true, does: 'harmless', why: 'names the pieces (derived-outputs.ts)' },
      { names: ['-b', '--suffix-format', '-n', '--digits'], takesValue: true, does: 'harmless', why: 'naming' },
    ],
    examples: [{ command: 'csplit -f /tmp/part- src/app.ts 2', effect: 'write' }],
  },
  {
    name: 'patch', package: 'patch', effect: 'write', reversible: true,
    why: 'changes the files a diff names, in the working folder (GNU patch refuses names outside it); the operands are the file to patch and the patch',
    operands: { default: 'read', positions: { '0': 'overwritten' } }, otherOptions: 'harmless',
    options: [
      { names: ['-o', '--output'], takesValue: true, does: 'overwrites', why: 'writes the result to this file' },
      { names: ['-d', '--directory'], takesValue: true, does: 'chdir', why: 'works in this folder' },
      { names: ['-r', '--reject-file'], takesValue: true, does: 'overwrites', why: 'writes rejected hunks here' },
      { names: ['-i', '--input', '-D', '--ifdef', '-F', '--fuzz', '-p', '--strip', '-V', '--version-control', '-z', '--suffix', '-B', '--prefix', '-Y', '--basename-prefix', '--quoting-style', '--merge', '--get', '-g'], takesValue: true, does: 'harmless', why: 'the patch read, and how to apply it' },
      { names: ['-E', '--remove-empty-files'], does: 'deletes', why: 'deletes files the patch empties' },
      { names: ['--dry-run'], does: 'harmless', effect: 'read', why: 'changes nothing' },
    ],
    examples: [{ command: 'diff -u package.json package.json > /tmp/empty.patch; patch --dry-run -p0 < /tmp/empty.patch', effect: 'write' }],
  },
];
