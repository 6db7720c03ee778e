import type { CommandSpecInput } from '../command-schema.js';

/**
 * Commands that read files or text and print: viewers, searches, filters. Most only read, but
 * several have options that write (`sort -o`, `shuf -o`), operands that are written (`uniq IN
 * OUT`, `xxd -r IN OUT`), or options that run programs (`rg --pre`, `less +!cmd`, `man -P`).
 */
export const TEXT_COMMANDS: readonly CommandSpecInput[] = [
  {
    name: 'cat', aliases: ['tac'], package: 'coreutils', effect: 'read', reversible: true,
    why: 'prints files; no option writes or runs anything',
    operands: { default: 'read' }, otherOptions: 'harmless',
    examples: [{ command: 'cat package.json', effect: 'read' }, { command: 'tac src/app.ts', effect: 'read' }],
  },
  {
    name: 'head', aliases: ['tail'], package: 'coreutils', effect: 'read', reversible: true,
    why: 'prints the start or end of files',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-n', '--lines', '-c', '--bytes'], takesValue: true, does: 'harmless', why: 'how much to print' },
      { names: ['-s', '--sleep-interval', '--pid', '--max-unchanged-stats'], takesValue: true, does: 'harmless', why: 'tail -f polling' },
    ],
    examples: [{ command: 'head -n 5 src/app.ts', effect: 'read' }, { command: 'tail -c 20 package.json', effect: 'read' }],
  },
  {
    name: 'less', package: 'less', effect: 'read', reversible: true,
    why: 'pages files; without a terminal it prints them. Its log options write and `+cmd` runs less commands, which include `!` shell escapes',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-o', '--log-file', '-O', '--LOG-FILE'], takesValue: true, does: 'overwrites', why: 'copies the input to a file, replacing it' },
      { names: ['+'], takesValue: true, does: 'runs-code', why: 'an initial less command; `!` runs shell code' },
      { names: ['-k', '--lesskey-file', '--lesskey-src'], takesValue: true, does: 'reads', why: 'key bindings, which can bind shell escapes' },
      { names: ['-x', '--tabs', '-b', '--buffers', '-h', '-y', '-z', '-j', '-p', '--pattern', '-t', '--tag', '-T', '--tag-file', '-P', '--prompt', '--rscroll', '--wordwrap', '--header', '--line-num-width', '--status-col-width'], takesValue: true, does: 'harmless', why: 'display settings' },
    ],
    examples: [{ command: 'less -F package.json', effect: 'read' }, { command: 'less -o /repo/less.log package.json', effect: 'write' }],
  },
  {
    name: 'more', package: 'util-linux', effect: 'read', reversible: true,
    why: 'pages files; without a terminal it prints them. `+NUM` and `+/PATTERN` only choose where to start',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-n', '--lines'], takesValue: true, does: 'harmless', why: 'screen size' }],
    examples: [{ command: 'more package.json', effect: 'read' }],
  },
  {
    name: 'grep', aliases: ['egrep', 'fgrep'], package: 'grep', effect: 'read', reversible: true,
    why: 'searches text; the first operand is the pattern unless -e or -f gives it',
    operands: { default: 'read', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [
      { names: ['-e', '--regexp'], takesValue: true, does: 'harmless', why: 'a pattern' },
      { names: ['-f', '--file'], takesValue: true, does: 'reads', why: 'patterns from a file' },
      { names: ['-m', '--max-count', '-A', '--after-context', '-B', '--before-context', '-C', '--context', '-d', '--directories', '-D', '--devices', '--include', '--exclude', '--exclude-dir', '--exclude-from', '--label', '--color', '--colour', '--binary-files', '--group-separator'], takesValue: true, does: 'harmless', why: 'what to print and where to look' },
    ],
    examples: [{ command: 'grep -rn TODO src/', effect: 'read' }, { command: "grep -c 'rm -rf' package.json", effect: 'read' }],
  },
  {
    name: 'rg', package: 'ripgrep', effect: 'read', reversible: true,
    why: 'searches files; `--pre` runs a program on every file searched and `-z` runs decompressors',
    operands: { default: 'read', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [
      { names: ['--pre'], takesValue: true, does: 'runs', why: 'runs this program for each file searched' },
      { names: ['--hostname-bin'], takesValue: true, does: 'runs', why: 'runs this program to learn the host name' },
      { names: ['-z', '--search-zip'], does: 'harmless', why: 'runs the standard decompressors (gzip, xz…) found on PATH' },
      { names: ['-e', '--regexp', '-g', '--glob', '--iglob', '-t', '--type', '-T', '--type-not', '-m', '--max-count', '-A', '-B', '-C', '--context', '--max-depth', '-d', '-M', '--max-columns', '-j', '--threads', '--pre-glob', '--sort', '--sortr', '--type-add', '--color', '--colors', '-E', '--encoding', '-r', '--replace', '--engine', '--path-separator', '--max-filesize', '--field-match-separator', '--field-context-separator'], takesValue: true, does: 'harmless', why: 'what to search and how to print (`-r` only changes the output)' },
      { names: ['-f', '--file', '--ignore-file'], takesValue: true, does: 'reads', why: 'patterns or ignore rules from a file' },
    ],
    examples: [{ command: 'rg -n TODO src', effect: 'read' }, { command: 'rg --pre cat TODO src', effect: 'read' }],
  },
  {
    name: 'ag', package: 'silversearcher-ag', effect: 'read', reversible: true,
    why: 'searches files; the first operand is the pattern',
    operands: { default: 'read', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [
      { names: ['--pager'], takesValue: true, does: 'runs', why: 'pipes the output to this program' },
      { names: ['-G', '--file-search-regex', '--ignore', '--ignore-dir', '-A', '-B', '-C', '-m', '--depth', '-p', '--path-to-ignore', '--workers'], takesValue: true, does: 'harmless', why: 'what to search' },
    ],
    examples: [{ command: 'ag TODO src', effect: 'read' }],
  },
  {
    name: 'ack', package: 'ack', effect: 'read', reversible: true,
    why: 'searches files (Perl); `--pager` runs a program, `--ackrc` reads options that may name one',
    operands: { default: 'read', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [
      { names: ['--pager'], takesValue: true, does: 'runs', why: 'pipes the output to this program' },
      { names: ['--ackrc'], takesValue: true, does: 'unknown', why: 'reads options from a file, which may set a pager' },
      { names: ['--output'], takesValue: true, does: 'runs-code', why: 'a Perl expression evaluated for each match' },
    ],
    examples: [{ command: 'ack TODO src', effect: 'read' }],
  },
  {
    name: 'wc', package: 'coreutils', effect: 'read', reversible: true, why: 'counts lines, words and bytes',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['--files0-from'], takesValue: true, does: 'reads', why: 'file names from a file' }],
    examples: [{ command: 'wc -l src/app.ts', effect: 'read' }],
  },
  {
    name: 'sort', package: 'coreutils', effect: 'read', reversible: true,
    why: 'sorts lines; `-o` writes the result to a file, `--compress-program` runs a program on its temporary files',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-o', '--output'], takesValue: true, does: 'overwrites', why: 'writes the sorted lines to this file, replacing it' },
      { names: ['--compress-program'], takesValue: true, does: 'runs', why: 'compresses temporary files with this program' },
      { names: ['-T', '--temporary-directory'], takesValue: true, does: 'writes', why: 'temporary files go there' },
      { names: ['--files0-from'], takesValue: true, does: 'reads', why: 'file names from a file' },
      { names: ['-k', '--key', '-t', '--field-separator', '-S', '--buffer-size', '--parallel', '--batch-size', '--random-source', '--sort'], takesValue: true, does: 'harmless', why: 'how to sort' },
    ],
    examples: [{ command: 'sort src/app.ts', effect: 'read' }, { command: 'sort -o out.txt src/app.ts', effect: 'write' }, { command: 'sort --out=out.txt package.json', effect: 'write' }],
  },
  {
    name: 'uniq', package: 'coreutils', effect: 'read', reversible: true,
    why: 'drops repeated lines; a second operand is the output file, replaced',
    operands: { default: 'read', positions: { '1': 'overwritten' } }, otherOptions: 'harmless',
    options: [{ names: ['-f', '--skip-fields', '-s', '--skip-chars', '-w', '--check-chars', '--group', '--all-repeated'], takesValue: true, does: 'harmless', why: 'how lines compare' }],
    examples: [{ command: 'uniq src/app.ts', effect: 'read' }, { command: 'uniq src/app.ts out.txt', effect: 'write' }],
  },
  {
    name: 'shuf', package: 'coreutils', effect: 'read', reversible: true, why: 'shuffles lines; `-o` writes the result to a file',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-o', '--output'], takesValue: true, does: 'overwrites', why: 'writes to this file, replacing it' },
      { names: ['-e', '--echo'], does: 'harmless', operands: 'data', why: 'operands are the lines themselves' },
      { names: ['-i', '--input-range', '-n', '--head-count', '--random-source'], takesValue: true, does: 'harmless', why: 'what to pick' },
    ],
    examples: [{ command: 'shuf -n 1 package.json', effect: 'read' }, { command: 'shuf -o out.txt package.json', effect: 'write' }],
  },
  {
    name: 'cut', package: 'coreutils', effect: 'read', reversible: true, why: 'prints fields of lines',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-b', '--bytes', '-c', '--characters', '-d', '--delimiter', '-f', '--fields', '--output-delimiter'], takesValue: true, does: 'harmless', why: 'which fields' }],
    examples: [{ command: 'cut -d: -f1 package.json', effect: 'read' }],
  },
  {
    name: 'tr', package: 'coreutils', effect: 'read', reversible: true, why: 'translates characters from standard input; operands are character sets',
    otherOptions: 'harmless', examples: [{ command: "tr a-z A-Z < package.json", effect: 'read' }],
  },
  {
    name: 'column', package: 'bsdextrautils', effect: 'read', reversible: true, why: 'formats text into columns',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-s', '--separator', '-o', '--output-separator', '-c', '--output-width', '-t', '--table', '-N', '--table-columns', '-R', '--table-right', '-H', '--table-hide', '-O', '--table-order', '-n', '--table-name', '-E', '--table-noextreme', '-W', '--table-wrap', '-d'], takesValue: true, does: 'harmless', why: 'layout (`-o` is a separator, not a file)' }],
    examples: [{ command: 'column -t package.json', effect: 'read' }],
  },
  {
    name: 'nl', aliases: ['fold', 'paste', 'expand', 'unexpand', 'fmt', 'pr', 'tsort'], package: 'coreutils', effect: 'read', reversible: true,
    why: 'reformats text (numbering, wrapping, joining columns) and prints it',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-w', '--width', '-d', '--delimiters', '-b', '-s', '-v', '-i', '-n', '-t', '--tabs'], takesValue: true, does: 'harmless', why: 'layout' }],
    examples: [{ command: 'nl src/app.ts', effect: 'read' }, { command: 'fold -w 40 package.json', effect: 'read' }],
  },
  {
    name: 'rev', package: 'util-linux', effect: 'read', reversible: true, why: 'reverses lines', operands: { default: 'read' }, otherOptions: 'harmless',
    examples: [{ command: 'rev package.json', effect: 'read' }],
  },
  {
    name: 'look', package: 'bsdextrautils', effect: 'read', reversible: true, why: 'prints lines of a sorted file that begin with a string',
    operands: { default: 'read', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [{ names: ['-t', '--terminate'], takesValue: true, does: 'harmless', why: 'a stop character' }],
    examples: [{ command: 'look a package.json', effect: 'read' }],
  },
  {
    name: 'join', package: 'coreutils', effect: 'read', reversible: true, why: 'joins lines of two files on a field',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-a', '-e', '-j', '-o', '-t', '-v', '-1', '-2'], takesValue: true, does: 'harmless', why: 'fields and format (`-o` is a format)' }],
    examples: [{ command: 'join package.json package.json', effect: 'read' }],
  },
  {
    name: 'comm', package: 'coreutils', effect: 'read', reversible: true, why: 'compares two sorted files',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['--output-delimiter'], takesValue: true, does: 'harmless', why: 'a separator' }],
    examples: [{ command: 'comm package.json package.json', effect: 'read' }],
  },
  {
    name: 'diff', package: 'diffutils', effect: 'read', reversible: true, why: 'compares files; GNU diff has no option that writes a file or runs a program',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-x', '--exclude', '-X', '--exclude-from', '-I', '--ignore-matching-lines', '-F', '--show-function-line', '-L', '--label', '-U', '--unified', '-C', '--context', '-W', '--width', '-S', '--starting-file', '--from-file', '--to-file', '--color', '--palette', '--tabsize', '--line-format', '--old-line-format', '--new-line-format', '--unchanged-line-format', '-D', '--ifdef', '--horizon-lines', '--old-group-format', '--new-group-format', '--changed-group-format', '--unchanged-group-format'], takesValue: true, does: 'harmless', why: 'what to compare and how to print' },
    ],
    examples: [{ command: 'diff -u package.json package.json', effect: 'read' }],
  },
  {
    name: 'sdiff', package: 'diffutils', effect: 'read', reversible: true, why: 'compares files side by side; `-o` merges into a file, and interactive merging runs an editor',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-o', '--output'], takesValue: true, does: 'overwrites', why: 'writes the merge to this file' },
      { names: ['--diff-program'], takesValue: true, does: 'runs', why: 'compares with this program' },
      { names: ['-w', '--width', '-I', '--ignore-matching-lines', '--tabsize'], takesValue: true, does: 'harmless', why: 'layout' },
    ],
    examples: [{ command: 'sdiff package.json package.json', effect: 'read' }],
  },
  {
    name: 'cmp', package: 'diffutils', effect: 'read', reversible: true, why: 'compares files byte by byte',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-i', '--ignore-initial', '-n', '--bytes'], takesValue: true, does: 'harmless', why: 'what to compare' }],
    examples: [{ command: 'cmp package.json package.json', effect: 'read' }],
  },
  {
    name: 'md5sum', aliases: ['sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'b2sum', 'cksum', 'sum'], package: 'coreutils', effect: 'read', reversible: true,
    why: 'prints or checks checksums of files', operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-a', '--algorithm', '-l', '--length'], takesValue: true, does: 'harmless', why: 'which checksum' }],
    examples: [{ command: 'sha256sum package.json', effect: 'read' }, { command: 'md5sum src/app.ts', effect: 'read' }],
  },
  {
    name: 'shasum', package: 'perl', effect: 'read', reversible: true, why: 'prints or checks SHA checksums (Perl script)',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-a', '--algorithm'], takesValue: true, does: 'harmless', why: 'which SHA' }],
    examples: [{ command: 'shasum -a 256 package.json', effect: 'read' }],
  },
  {
    name: 'base64', aliases: ['base32', 'basenc'], package: 'coreutils', effect: 'read', reversible: true, why: 'encodes or decodes to standard output',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-w', '--wrap'], takesValue: true, does: 'harmless', why: 'line width' }],
    examples: [{ command: 'base64 package.json', effect: 'read' }],
  },
  {
    name: 'xxd', package: 'xxd', effect: 'read', reversible: true, why: 'hex dumps a file; a second operand is the output file, replaced (also with -r)',
    operands: { default: 'read', positions: { '1': 'overwritten' } }, otherOptions: 'harmless',
    options: [{ names: ['-c', '-cols', '-g', '-groupsize', '-l', '-len', '-o', '-offset', '-s', '-seek', '-n', '-name'], takesValue: true, does: 'harmless', why: 'layout (`-o` is an offset)' }],
    examples: [{ command: 'xxd -l 32 package.json', effect: 'read' }, { command: 'xxd package.json out.hex', effect: 'write' }],
  },
  {
    name: 'hexdump', aliases: ['hd'], package: 'bsdextrautils', effect: 'read', reversible: true, why: 'dumps files in hex',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-e', '-f', '-n', '-s'], takesValue: true, does: 'harmless', why: 'format and range (`-f` reads a format file)' }],
    examples: [{ command: 'hexdump -C -n 32 package.json', effect: 'read' }],
  },
  {
    name: 'od', package: 'coreutils', effect: 'read', reversible: true, why: 'dumps files in octal and other formats',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-A', '--address-radix', '-j', '--skip-bytes', '-N', '--read-bytes', '-S', '--strings', '-t', '--format', '-w', '--width'], takesValue: true, does: 'harmless', why: 'format and range' }],
    examples: [{ command: 'od -c -N 16 package.json', effect: 'read' }],
  },
  {
    name: 'strings', package: 'binutils', effect: 'read', reversible: true, why: 'prints printable strings in files',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-n', '--bytes', '-t', '--radix', '-e', '--encoding', '-s', '--output-separator'], takesValue: true, does: 'harmless', why: 'what to print' }],
    examples: [{ command: 'strings package.json', effect: 'read' }],
  },
  {
    name: 'jq', package: 'jq', effect: 'read', reversible: true, why: 'filters JSON; jq programs cannot write files or run commands',
    operands: { default: 'read', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [
      { names: ['-f', '--from-file', '--rawfile', '--slurpfile', '-L'], takesValue: true, does: 'reads', why: 'a program, data or modules from files' },
      { names: ['--arg', '--argjson'], takesValue: true, does: 'harmless', why: 'a named value (its second word is left as an operand, read at worst)' },
      { names: ['--indent', '--tab'], takesValue: true, does: 'harmless', why: 'layout' },
    ],
    examples: [{ command: 'jq .name package.json', effect: 'read' }],
  },
  {
    name: 'yq', package: 'yq', effect: 'read', reversible: true, why: 'filters YAML; `-i` rewrites the files in place',
    operands: { default: 'read', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [
      { names: ['-i', '--in-place', '--inplace'], does: 'harmless', operands: 'overwritten', why: 'rewrites its files in place' },
      { names: ['-f', '--from-file', '--rawfile', '--slurpfile'], takesValue: true, does: 'reads', why: 'a program or data from files' },
      { names: ['--arg', '--argjson', '--indent'], takesValue: true, does: 'harmless', why: 'values and layout' },
    ],
    examples: [{ command: 'yq . package.json', effect: 'read' }, { command: 'cp package.json p.json && yq -i -y . p.json', effect: 'write' }],
  },
  {
    name: 'zcat', aliases: ['zless', 'zmore'], package: 'gzip', effect: 'read', reversible: true, why: 'prints compressed files',
    operands: { default: 'read' }, otherOptions: 'harmless', examples: [{ command: 'gzip -c package.json | zcat', effect: 'read' }],
  },
  {
    name: 'zgrep', aliases: ['zegrep', 'zfgrep'], package: 'gzip', effect: 'read', reversible: true, why: 'searches compressed files (a grep wrapper)',
    operands: { default: 'read', positions: { '0': 'data' } }, otherOptions: 'harmless',
    options: [{ names: ['-e', '--regexp', '-f', '--file', '-m', '--max-count', '-A', '-B', '-C'], takesValue: true, does: 'harmless', why: 'patterns and context' }],
    examples: [{ command: 'zgrep name package.json', effect: 'read' }],
  },
  {
    name: 'bzcat', package: 'bzip2', effect: 'read', reversible: true, why: 'prints bzip2-compressed files', operands: { default: 'read' }, otherOptions: 'harmless',
    examples: [{ command: 'bzip2 -c package.json | bzcat', effect: 'read' }],
  },
  {
    name: 'xzcat', aliases: ['lzcat'], package: 'xz-utils', effect: 'read', reversible: true, why: 'prints xz-compressed files', operands: { default: 'read' }, otherOptions: 'harmless',
    examples: [{ command: 'xz -c package.json | xzcat', effect: 'read' }],
  },
  {
    name: 'iconv', package: 'libc-bin', effect: 'read', reversible: true, why: 'converts text encodings; `-o` writes the result to a file',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-o', '--output'], takesValue: true, does: 'overwrites', why: 'writes to this file, replacing it' },
      { names: ['-f', '--from-code', '-t', '--to-code'], takesValue: true, does: 'harmless', why: 'encodings' },
    ],
    examples: [{ command: 'iconv -f utf-8 -t ascii//TRANSLIT package.json', effect: 'read' }, { command: 'iconv -f utf-8 -t utf-8 -o out.txt package.json', effect: 'write' }],
  },
  {
    name: 'envsubst', package: 'gettext-base', effect: 'read', reversible: true, why: 'substitutes environment variables in standard input; the operand is a list of names',
    otherOptions: 'harmless', examples: [{ command: "envsubst < package.json", effect: 'read' }],
  },
  {
    name: 'numfmt', package: 'coreutils', effect: 'read', reversible: true, why: 'formats numbers', otherOptions: 'harmless',
    options: [{ names: ['--from', '--to', '--format', '--padding', '--field', '--suffix', '-d', '--delimiter', '--from-unit', '--to-unit', '--round', '--invalid', '--header'], takesValue: 'optional', does: 'harmless', why: 'format' }],
    examples: [{ command: 'numfmt --to=iec 2048', effect: 'read' }],
  },
  {
    name: 'seq', aliases: ['yes', 'expr', 'factor'], package: 'coreutils', effect: 'read', reversible: true, why: 'prints numbers or evaluates an expression; operands are data',
    otherOptions: 'harmless', options: [{ names: ['-f', '--format', '-s', '--separator'], takesValue: true, does: 'harmless', why: 'format' }],
    examples: [{ command: 'seq 3', effect: 'read' }, { command: 'expr 1 + 2', effect: 'read' }],
  },
  {
    name: 'bc', package: 'bc', effect: 'read', reversible: true, why: 'a calculator language; GNU bc has no way to run commands or write files',
    operands: { default: 'read' }, otherOptions: 'harmless', examples: [{ command: "echo '2^10' | bc", effect: 'read' }],
  },
  {
    name: 'dc', package: 'dc', effect: 'read', reversible: true, why: 'a calculator whose `!` command runs shell code, so its programs (inline, files, standard input) are code',
    operands: { default: 'code' }, otherOptions: 'harmless', stdin: 'code',
    options: [
      { names: ['-e', '--expression'], takesValue: true, does: 'runs-code', why: 'a dc program; `!` runs the shell' },
      { names: ['-f', '--file'], takesValue: true, does: 'runs-code', why: 'a dc program in a file' },
    ],
    examples: [{ command: "echo '1 2 + p' | dc", effect: 'unknown' }],
  },
];
