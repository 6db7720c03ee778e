/**
 * One line of `strace -ff -ttt -y` output, split into its syscall, arguments and result. Only
 * what the sandbox harness needs: strings (C-escaped), fds annotated with their path by `-y`
 * (`3</repo/x>`, `AT_FDCWD</repo>`), flag sets and numbers are kept as text.
 */
export interface StraceCall {
  /** Seconds since the epoch, from `-ttt`. */
  readonly time: number;
  readonly name: string;
  readonly args: readonly StraceArg[];
  /** The return value as a number (child pid, fd, 0), or undefined for `?`. */
  readonly result: number | undefined;
  /** The path `-y` put on a returned fd (`= 3</repo/out>`). */
  readonly resultPath: string | undefined;
  /** The errno name of a failed call (`ENOENT`). */
  readonly errno: string | undefined;
  /** The line as strace wrote it, for failure messages. */
  readonly raw: string;
}

/** One argument: a decoded string, an fd with the path `-y` gave it, or anything else as text. */
export type StraceArg =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'fd'; readonly fd: string; readonly path: string }
  | { readonly kind: 'other'; readonly text: string };

const LINE =
  /^(\d+\.\d+) (\w+)\((.*)\)\s+= (-?\d+|\?|0x[0-9a-f]+)(?:<(.*?)>)?(?:\s+(E[A-Z0-9]+)\b.*)?$/;

/** Parses one line; undefined for what is not a finished syscall (signals, exits, `<unfinished …>`). */
export function parseStraceLine(raw: string): StraceCall | undefined {
  const match = LINE.exec(raw);
  if (match === null) return undefined;
  const [, time = '0', name = '', argText = '', result = '?', resultPath, errno] = match;
  return {
    time: Number(time),
    name,
    args: splitArgs(argText).map(toArg),
    result: result === '?' ? undefined : Number(result),
    resultPath,
    errno,
    raw,
  };
}

/** Splits at top-level commas, minding quotes, brackets and `-y`'s `<path>` annotations. */
function splitArgs(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  let inAngle = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (inAngle) {
      if (char === '>') inAngle = false;
    } else if (char === '"') inString = true;
    else if (char === '<' && /[\w]/.test(text[i - 1] ?? '')) inAngle = true;
    else if (char === '[' || char === '{' || char === '(') depth += 1;
    else if (char === ']' || char === '}' || char === ')') depth -= 1;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (text.trim() !== '') parts.push(text.slice(start).trim());
  return parts;
}

function toArg(text: string): StraceArg {
  if (text.startsWith('"')) return { kind: 'string', text: decodeCString(text) };
  // `-y` marks an fd whose file is gone with `(deleted)` after its path.
  const fd = /^(AT_FDCWD|-?\d+)<(.*)>(?:\(deleted\))?$/.exec(text);
  if (fd !== null) return { kind: 'fd', fd: fd[1] ?? '', path: fd[2] ?? '' };
  return { kind: 'other', text };
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  v: '\v',
  f: '\f',
  '"': '"',
  '\\': '\\',
};

/** Decodes strace's C-style quoted string (`"a\x62\n"`), dropping a trailing `...` of truncation. */
export function decodeCString(text: string): string {
  const bytes: number[] = [];
  for (let i = 1; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (char === '"') break;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = text[i + 1] ?? '';
    if (next === 'x') {
      bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1))?.[0] ?? '0';
      bytes.push(parseInt(octal, 8));
      i += octal.length;
    } else {
      bytes.push(...Buffer.from(ESCAPES[next] ?? next, 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
