import type { CommandSpecInput } from '../command-schema.js';

/**
 * Compilers and formatters that only read sources and write outputs: a write, with the output
 * option judged by the loss rules (`gcc -o .env` would replace a precious file). Options that make
 * them run other programs (`-wrapper`, `-B`, plugins) are declared.
 */
const GCC_OPTIONS: CommandSpecInput['options'] = [
  { names: ['-o'], takesValue: true, does: 'overwrites', why: 'writes the output to this file' },
  { names: ['-wrapper'], takesValue: true, does: 'runs', why: 'runs every subprogram through this program' },
  { names: ['-B', '--prefix'], takesValue: true, does: 'runs-code', why: 'runs the compiler’s subprograms (cc1, as, ld) from this folder' },
  { names: ['-specs', '--specs', '-fplugin', '-fplugin-arg', '-load', '-Xclang'], takesValue: true, does: 'runs-code', why: 'spec files can run programs; plugins are code' },
  { names: ['-MF', '-dumpdir', '-dumpbase', '-save-temps'], takesValue: 'optional', does: 'writes', why: 'writes dependency or intermediate files' },
  { names: ['-I', '-L', '-l', '-D', '-U', '-include', '-isystem', '-iquote', '-x', '-std', '-W', '-Xlinker', '-Xassembler', '-Xpreprocessor', '-MT', '-MQ', '-target', '--target', '-arch', '-isysroot', '--sysroot', '-idirafter', '-imacros'], takesValue: true, does: 'harmless', why: 'search paths, definitions and language' },
];

export const COMPILER_COMMANDS: readonly CommandSpecInput[] = [
  {
    name: 'gcc', aliases: [{ name: 'cpp', package: 'cpp' }], package: 'gcc', effect: 'write', reversible: true, why: 'compiles sources into objects or a program (a.out unless -o)',
    operands: { default: 'read' }, otherOptions: 'harmless', optionStyle: 'words', options: GCC_OPTIONS,
    examples: [{ command: "printf 'int main(){return 0;}' > /tmp/m.c && gcc /tmp/m.c -o /tmp/m", effect: 'write' }],
  },
  {
    name: 'g++', package: 'g++', effect: 'write', reversible: true, why: 'compiles C++ sources into objects or a program',
    operands: { default: 'read' }, otherOptions: 'harmless', optionStyle: 'words', options: GCC_OPTIONS,
    examples: [{ command: 'g++ --version', effect: 'read' }],
  },
  {
    name: 'cc', aliases: [{ name: 'c++', package: 'g++' }], package: 'gcc', effect: 'write', reversible: true, why: 'the system C (C++) compiler, usually gcc or clang',
    operands: { default: 'read' }, otherOptions: 'harmless', optionStyle: 'words', options: GCC_OPTIONS,
    examples: [{ command: 'cc --version', effect: 'read' }],
  },
  {
    name: 'clang', aliases: ['clang++'], package: 'clang', effect: 'write', reversible: true, why: 'compiles C-family sources',
    operands: { default: 'read' }, otherOptions: 'harmless', optionStyle: 'words', options: GCC_OPTIONS,
    examples: [{ command: 'clang --version', effect: 'read' }],
  },
  {
    name: 'rustc', package: 'rustc', effect: 'write', reversible: true, why: 'compiles a crate (procedural macros it loads are code, but only from crates named with --extern)',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-o'], takesValue: true, does: 'overwrites', why: 'writes the output to this file' },
      { names: ['--out-dir', '--emit'], takesValue: true, does: 'writes', why: 'writes outputs there' },
      { names: ['-C', '--codegen'], takesValue: true, does: 'unknown', why: '`linker=PROG` runs a program of the caller’s choice' },
      { names: ['-Z'], takesValue: true, does: 'unknown', why: 'unstable options, some of which load code' },
      { names: ['--extern', '-L', '-l', '--crate-type', '--crate-name', '--edition', '--cfg', '--cap-lints', '-A', '-W', '-D', '-F', '--target', '--explain', '--print', '--error-format', '--json', '--color', '--sysroot'], takesValue: true, does: 'harmless', why: 'inputs and settings' },
    ],
    examples: [{ command: 'rustc --version', effect: 'read' }],
  },
  {
    name: 'javac', package: 'default-jdk-headless', effect: 'write', reversible: true, why: 'compiles Java sources to class files; annotation processors on the processor path are code',
    operands: { default: 'read' }, otherOptions: 'harmless', optionStyle: 'words',
    options: [
      { names: ['-d', '-s', '-h'], takesValue: true, does: 'writes', why: 'output folders' },
      { names: ['-processor', '-processorpath', '--processor-path', '--processor-module-path', '-Xplugin'], takesValue: true, does: 'runs-code', why: 'annotation processors and plugins are Java code run by the compiler' },
      { names: ['-cp', '-classpath', '--class-path', '-sourcepath', '--source-path', '-source', '--source', '-target', '--target', '--release', '-encoding', '-bootclasspath', '--module-path', '-p', '--add-modules', '-J'], takesValue: true, does: 'harmless', why: 'inputs and settings' },
    ],
    examples: [{ command: 'javac -version', effect: 'read' }],
  },
  {
    name: 'kotlinc', package: 'kotlin', effect: 'execute', reversible: false, why: 'compiles Kotlin; with a script or -e it runs it, and compiler plugins are code',
    operands: { default: 'read' }, otherOptions: 'harmless', optionStyle: 'words',
    options: [{ names: ['-d'], takesValue: true, does: 'writes', why: 'output' }, { names: ['-e', '-expression', '-script', '-Xplugin'], takesValue: true, does: 'runs-code', why: 'runs Kotlin code' }],
    examples: [{ command: 'kotlinc -version', effect: 'read' }],
  },
  {
    name: 'swiftc', package: 'vendor:swift', effect: 'write', reversible: true, why: 'compiles Swift sources; macros and plugins of packages are code',
    operands: { default: 'read' }, otherOptions: 'harmless', optionStyle: 'words',
    options: [{ names: ['-o'], takesValue: true, does: 'overwrites', why: 'writes the output to this file' }, { names: ['-load-plugin-library', '-load-plugin-executable', '-plugin-path'], takesValue: true, does: 'runs-code', why: 'compiler plugins are code' }],
    examples: [{ command: 'swiftc --version', effect: 'read' }],
  },
  {
    name: 'ghc', package: 'ghc', effect: 'execute', reversible: false, why: 'compiles Haskell; Template Haskell splices run code at compile time, and -e evaluates an expression',
    operands: { default: 'read' }, otherOptions: 'harmless', optionStyle: 'words',
    options: [{ names: ['-o'], takesValue: true, does: 'overwrites', why: 'writes the program to this file' }, { names: ['-e'], takesValue: true, does: 'runs-code', why: 'evaluates Haskell' }],
    examples: [{ command: 'ghc --version', effect: 'read' }],
  },
  {
    name: 'tsc', package: 'npm:typescript', effect: 'write', reversible: true, why: 'type-checks TypeScript and writes JavaScript; tsconfig is JSON and the compiler loads no project code',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['--outDir', '--outFile', '--declarationDir', '--tsBuildInfoFile', '--generateTrace'], takesValue: true, does: 'writes', why: 'outputs there' },
      { names: ['--noEmit', '--version', '-v', '--help', '-h', '--showConfig', '--listFilesOnly'], does: 'harmless', effect: 'read', why: 'checks or prints without writing' },
      { names: ['-p', '--project', '--target', '-t', '--module', '-m', '--lib', '--jsx', '--moduleResolution', '--rootDir', '--baseUrl', '--types', '--typeRoots'], takesValue: true, does: 'harmless', why: 'settings' },
    ],
    examples: [{ command: 'tsc --version', effect: 'read' }, { command: 'tsc --noEmit -p .', effect: 'read' }],
  },
  {
    name: 'esbuild', package: 'npm:esbuild', effect: 'write', reversible: true, why: 'bundles sources; from the command line it loads no plugins or config code',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['--outfile', '--metafile'], takesValue: true, does: 'overwrites', why: 'writes this file' },
      { names: ['--outdir'], takesValue: true, does: 'writes', why: 'writes outputs there' },
    ],
    examples: [{ command: 'esbuild --version', effect: 'read' }, { command: 'esbuild src/app.ts --outfile=/tmp/app.js', effect: 'write' }],
  },
  {
    name: 'gofmt', package: 'golang-go', effect: 'read', reversible: true, why: 'prints formatted Go; `-w` rewrites the files',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-w'], does: 'harmless', effect: 'write', operands: 'written', why: 'rewrites the files in place (formatting, content kept)' }, { names: ['-r'], takesValue: true, does: 'harmless', why: 'a rewrite rule' }],
    optionStyle: 'words',
    examples: [{ command: 'gofmt -l .', effect: 'read' }],
  },
  {
    name: 'black', package: 'black', effect: 'write', reversible: true, why: 'reformats Python files in place (`--check`/`--diff` only read); it runs no project code',
    operands: { default: 'written' }, otherOptions: 'harmless',
    options: [{ names: ['--check', '--diff', '--version'], does: 'harmless', effect: 'read', operands: 'read', why: 'reports without writing' }, { names: ['--config', '-l', '--line-length', '-t', '--target-version', '--include', '--exclude', '--extend-exclude', '--force-exclude', '--stdin-filename', '-W', '--workers'], takesValue: true, does: 'harmless', why: 'settings' }],
    examples: [{ command: 'black --check src || true', effect: 'read' }],
  },
  {
    name: 'ruff', package: 'pypi:ruff', effect: 'write', reversible: true, why: 'lints and formats Python (Rust; runs no project code); `--fix` and `format` rewrite files',
    operands: { default: 'data' }, otherOptions: 'harmless',
    examples: [{ command: 'ruff --version', effect: 'read' }],
  },
  {
    name: 'isort', package: 'isort', effect: 'write', reversible: true, why: 'sorts Python imports in place (`--check`/`--diff` only read)',
    operands: { default: 'written' }, otherOptions: 'harmless',
    options: [{ names: ['--check', '--check-only', '-c', '--diff', '--version'], does: 'harmless', effect: 'read', operands: 'read', why: 'reports without writing' }],
    examples: [{ command: 'isort --check-only src || true', effect: 'read' }],
  },
  {
    name: 'shfmt', package: 'shfmt', effect: 'read', reversible: true, why: 'prints formatted shell; `-w` rewrites the files',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-w', '--write'], does: 'harmless', effect: 'write', operands: 'written', why: 'rewrites files in place' }, { names: ['-i', '--indent', '-ln', '--language-dialect', '-f', '--find'], takesValue: true, does: 'harmless', why: 'settings' }],
    examples: [{ command: 'shfmt --version', effect: 'read' }],
  },
  {
    name: 'shellcheck', package: 'shellcheck', effect: 'read', reversible: true, why: 'lints shell scripts; it never runs them',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-e', '--exclude', '-i', '--include', '-f', '--format', '-s', '--shell', '-S', '--severity', '-o', '--enable', '-P', '--source-path', '--rcfile'], takesValue: true, does: 'harmless', why: 'checks and output' }],
    examples: [{ command: 'shellcheck --version', effect: 'read' }],
  },
  {
    name: 'pyright', package: 'npm:pyright', effect: 'read', reversible: true, why: 'type-checks Python statically (it imports nothing)',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['--createstub'], takesValue: true, does: 'writes', why: 'writes stub files' }],
    examples: [{ command: 'pyright --version', effect: 'read' }],
  },
  {
    name: 'flake8', package: 'flake8', effect: 'read', reversible: true, why: 'lints Python statically; plugins are installed packages, not project code',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['--output-file'], takesValue: true, does: 'overwrites', why: 'writes the report to this file' }, { names: ['--config', '--append-config', '--max-line-length', '--select', '--ignore', '--extend-ignore', '--exclude', '--extend-exclude', '--format', '--max-complexity', '--per-file-ignores', '-j', '--jobs'], takesValue: true, does: 'harmless', why: 'settings' }],
    examples: [{ command: 'flake8 --version', effect: 'read' }],
  },
  {
    name: 'pandoc', package: 'pandoc', effect: 'read', reversible: true, why: 'converts documents; `-o` writes, filters run programs or Lua',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [
      { names: ['-o', '--output'], takesValue: true, does: 'overwrites', why: 'writes the result to this file' },
      { names: ['-F', '--filter', '--pdf-engine'], takesValue: true, does: 'runs', why: 'runs this program' },
      { names: ['-L', '--lua-filter', '--pdf-engine-opt'], takesValue: true, does: 'runs-code', why: 'Lua filters are code' },
      { names: ['--extract-media'], takesValue: true, does: 'writes', why: 'writes media files there' },
      { names: ['-d', '--defaults'], takesValue: true, does: 'unknown', why: 'a defaults file can name filters' },
      { names: ['-f', '-r', '--from', '--read', '-t', '-w', '--to', '--write', '--template', '-M', '--metadata', '-V', '--variable', '--resource-path', '--css', '-c', '--toc-depth', '--columns', '--wrap', '--data-dir', '--reference-doc', '--bibliography', '--csl', '--citation-abbreviations', '-H', '--include-in-header', '-B', '--include-before-body', '-A', '--include-after-body', '--highlight-style', '--syntax-definition', '--number-offset', '--top-level-division', '--eol', '--dpi', '--metadata-file', '--abbreviations', '--epub-cover-image', '--epub-metadata', '--epub-embed-font', '--log'], takesValue: true, does: 'harmless', why: 'formats and inputs (`-w` names a format)' },
    ],
    examples: [{ command: 'pandoc --version', effect: 'read' }],
  },
  {
    name: 'convert', package: 'imagemagick-6.q16', effect: 'write', reversible: true, why: 'converts images; the last operand is the output, replaced',
    operands: { default: 'read', positions: { last: 'overwritten' } }, otherOptions: 'harmless', optionStyle: 'words',
    options: [{ names: ['-write'], takesValue: true, does: 'overwrites', why: 'writes an intermediate image' }, { names: ['-script'], takesValue: true, does: 'runs-code', why: 'runs a Magick script' }],
    examples: [{ command: 'convert -version', effect: 'read' }],
  },
  {
    name: 'ffmpeg', package: 'ffmpeg', effect: 'write', reversible: true, why: 'converts media; inputs are `-i` values, every other operand is an output file, replaced',
    operands: { default: 'overwritten' }, otherOptions: 'harmless', optionStyle: 'words',
    options: [{ names: ['-i'], takesValue: true, does: 'reads', why: 'an input' }, { names: ['-version', '-h', '-help', '--help', '-formats', '-codecs', '-encoders', '-decoders'], does: 'harmless', effect: 'read', why: 'prints and exits' }, { names: ['-filter_script', '-filter_complex_script', '-vstats_file', '-passlogfile', '-report'], takesValue: true, does: 'writes', why: 'writes logs or reads filter scripts' }],
    examples: [{ command: 'ffmpeg -version', effect: 'read' }],
  },
  {
    name: 'pdflatex', aliases: ['tex', 'pdftex'], package: 'texlive-binaries', effect: 'write', reversible: true,
    why: 'typesets a document into the working folder; TeX can write files it names, and with shell escape it runs commands',
    operands: { default: 'read' }, otherOptions: 'harmless', optionStyle: 'words',
    options: [
      { names: ['-shell-escape', '--shell-escape', '-enable-write18', '--enable-write18'], does: 'unknown', why: 'lets the document run shell commands' },
      { names: ['-output-directory', '--output-directory', '-aux-directory'], takesValue: true, does: 'writes', why: 'outputs there' },
      { names: ['-jobname', '--jobname', '-interaction', '--interaction', '-output-format'], takesValue: true, does: 'harmless', why: 'settings' },
    ],
    examples: [{ command: 'pdflatex --version', effect: 'read' }],
  },
];
