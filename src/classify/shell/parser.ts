import type { Assignment, Command, Pipeline, Redirect, Script, Word, WordPart } from './ast.js';

/** The text is not a shell program this parser understands: the classifier answers `unknown`. */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'ShellSyntaxError';
  }
}

/** Characters that end an unquoted word. */
const METACHARS = new Set([' ', '\t', '\n', '|', '&', ';', '(', ')', '<', '>']);
/** Redirection operators, longest first so `>>` is not read as `>`. */
const REDIRECT_OPS = ['&>>', '&>', '<<<', '<<-', '<<', '<>', '<&', '>&', '>>', '>|', '<', '>'];
/** Nesting deeper than this is refused rather than risking the stack on hostile input. */
const MAX_DEPTH = 64;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

interface PendingHeredoc {
  readonly redirect: { heredoc?: Word };
  readonly delimiter: string;
  readonly stripTabs: boolean;
  readonly quoted: boolean;
}

/**
 * Parses bash source into the tree the classifier walks: lists, pipelines, subshells, groups,
 * if/while/until/for/select/case, functions, `[[ ]]`, `(( ))`, every quoting form, `$…`
 * expansions, command and process substitution, redirections and here-documents.
 * Throws {@link ShellSyntaxError} for anything it cannot parse.
 */
export function parseShell(source: string, depth = 0): Script {
  if (depth > MAX_DEPTH) throw new ShellSyntaxError('nesting too deep', 0);
  const parser = new ShellParser(source, depth);
  const script = parser.parseScript([], false);
  parser.expectEnd();
  return script;
}

class ShellParser {
  #pos = 0;
  #pending: PendingHeredoc[] = [];
  #level = 0;

  readonly #depth: number;
  readonly #src: string;
  constructor(src: string, depth: number) {
    this.#depth = depth;
    this.#src = src;
  }

  expectEnd(): void {
    this.#skipBlanks();
    if (this.#pos < this.#src.length)
      throw this.#error(`unexpected ${JSON.stringify(this.#src[this.#pos])}`);
    if (this.#pending.length > 0) this.#readHeredocBodies();
  }

  /** A list of statements, up to one of `stopWords`, a `)` when `inParens`, or the end. */
  parseScript(stopWords: readonly string[], inParens: boolean): Script {
    const pipelines: Pipeline[] = [];
    const statementStarts: number[] = [];
    for (;;) {
      this.#skipSeparators();
      if (this.#pos >= this.#src.length) break;
      const ch = this.#src[this.#pos];
      if (ch === ')' && inParens) break;
      if (this.#startsWith(';;') || this.#startsWith(';&')) break;
      const reserved = this.#peekReserved();
      if (reserved !== undefined && stopWords.includes(reserved)) break;
      statementStarts.push(this.#pos);
      this.#parseAndOr(pipelines);
      this.#skipBlanks();
      if (this.#pos >= this.#src.length) break;
      const next = this.#src[this.#pos];
      if (next === '\n') this.#consumeNewline();
      else if (
        (next === ';' && !this.#startsWith(';;') && !this.#startsWith(';&')) ||
        (next === '&' && !this.#startsWith('&&') && !this.#startsWith('&>'))
      )
        this.#pos++;
    }
    return { pipelines, statementStarts };
  }

  #parseAndOr(into: Pipeline[]): void {
    into.push(this.#parsePipeline());
    for (;;) {
      this.#skipBlanks();
      if (!this.#startsWith('&&') && !this.#startsWith('||')) return;
      this.#pos += 2;
      this.#skipNewlines();
      into.push(this.#parsePipeline());
    }
  }

  #parsePipeline(): Pipeline {
    this.#skipBlanks();
    const start = this.#pos;
    while (this.#peekReserved() === '!') {
      this.#pos++;
      this.#skipBlanks();
    }
    const commands: Command[] = [this.#parseCommand()];
    for (;;) {
      this.#skipBlanks();
      if (this.#startsWith('||') || this.#src[this.#pos] !== '|') break;
      this.#pos += this.#startsWith('|&') ? 2 : 1;
      this.#skipNewlines();
      commands.push(this.#parseCommand());
    }
    return { commands, start };
  }

  #parseCommand(): Command {
    this.#skipBlanks();
    if (this.#pos >= this.#src.length) throw this.#error('expected a command');
    const word = this.#peekReserved();
    if (this.#startsWith('((')) return this.#withRedirects(this.#parseArithCommand());
    if (this.#src[this.#pos] === '(') {
      this.#pos++;
      const body = this.#nested(() => this.parseScript([], true));
      this.#expectChar(')');
      return this.#withRedirects({
        kind: 'compound',
        keyword: '(',
        bodies: [body],
        words: [],
        redirects: [],
      });
    }
    switch (word) {
      case '{': {
        this.#pos++;
        const body = this.#nested(() => this.parseScript(['}'], false));
        this.#expectWord('}');
        return this.#withRedirects({
          kind: 'compound',
          keyword: '{',
          bodies: [body],
          words: [],
          redirects: [],
        });
      }
      case 'if':
        return this.#withRedirects(this.#parseIf());
      case 'while':
      case 'until': {
        this.#expectWord(word);
        const condition = this.#nested(() => this.parseScript(['do'], false));
        const body = this.#parseDoDone();
        return this.#withRedirects({
          kind: 'compound',
          keyword: word,
          bodies: [condition, body],
          words: [],
          redirects: [],
        });
      }
      case 'for':
      case 'select':
        return this.#withRedirects(this.#parseFor(word));
      case 'case':
        return this.#withRedirects(this.#parseCase());
      case 'function': {
        this.#expectWord('function');
        this.#skipBlanks();
        const name = this.readWord().raw;
        this.#skipBlanks();
        if (this.#startsWith('(')) this.#expectEmptyParens();
        this.#skipNewlines();
        return { kind: 'function', name, body: this.#nested(() => this.#parseCommand()) };
      }
      case '[[':
        return this.#withRedirects(this.#parseDoubleBracket());
      case 'then':
      case 'do':
      case 'done':
      case 'fi':
      case 'elif':
      case 'else':
      case 'esac':
      case '}':
        throw this.#error(`unexpected ${word}`);
      default:
        return this.#parseSimple();
    }
  }

  #parseIf(): Command {
    const bodies: Script[] = [];
    this.#expectWord('if');
    bodies.push(this.#nested(() => this.parseScript(['then'], false)));
    this.#expectWord('then');
    bodies.push(this.#nested(() => this.parseScript(['elif', 'else', 'fi'], false)));
    for (;;) {
      const word = this.#peekReserved();
      if (word === 'elif') {
        this.#expectWord('elif');
        bodies.push(this.#nested(() => this.parseScript(['then'], false)));
        this.#expectWord('then');
        bodies.push(this.#nested(() => this.parseScript(['elif', 'else', 'fi'], false)));
      } else if (word === 'else') {
        this.#expectWord('else');
        bodies.push(this.#nested(() => this.parseScript(['fi'], false)));
      } else break;
    }
    this.#expectWord('fi');
    return { kind: 'compound', keyword: 'if', bodies, words: [], redirects: [] };
  }

  #parseFor(keyword: string): Command {
    this.#expectWord(keyword);
    this.#skipBlanks();
    const words: Word[] = [];
    const nested: Script[] = [];
    let arith: string | undefined;
    let variable: string | undefined;
    if (this.#startsWith('((')) {
      this.#pos += 2;
      const start = this.#pos;
      this.#scanBalanced('))', nested);
      arith = this.#src.slice(start, this.#pos - 2);
    } else {
      variable = this.readWord().raw;
      this.#skipBlanks();
      const save = this.#pos;
      this.#skipNewlines();
      if (this.#peekReserved() === 'in') {
        this.#expectWord('in');
        for (;;) {
          this.#skipBlanks();
          const ch = this.#src[this.#pos];
          if (ch === undefined || ch === ';' || ch === '\n') break;
          words.push(this.readWord());
        }
      } else this.#pos = save;
    }
    this.#skipBlanks();
    if (this.#src[this.#pos] === ';') this.#pos++;
    const body = this.#parseDoDone();
    const bodies = [...nested, body];
    return {
      kind: 'compound',
      keyword,
      bodies,
      words,
      redirects: [],
      ...(arith === undefined ? {} : { arith }),
      ...(variable === undefined ? {} : { variable }),
    };
  }

  #parseDoDone(): Script {
    this.#skipSeparators();
    this.#expectWord('do');
    const body = this.#nested(() => this.parseScript(['done'], false));
    this.#expectWord('done');
    return body;
  }

  #parseCase(): Command {
    this.#expectWord('case');
    this.#skipBlanks();
    const words: Word[] = [this.readWord()];
    this.#skipNewlines();
    this.#expectWord('in');
    const bodies: Script[] = [];
    for (;;) {
      this.#skipSeparators();
      if (this.#peekReserved() === 'esac') break;
      if (this.#src[this.#pos] === '(') this.#pos++;
      for (;;) {
        this.#skipBlanks();
        words.push(this.readWord());
        this.#skipBlanks();
        if (this.#src[this.#pos] === '|') this.#pos++;
        else break;
      }
      this.#expectChar(')');
      bodies.push(this.#nested(() => this.parseScript(['esac'], false)));
      this.#skipBlanks();
      if (this.#startsWith(';;&')) this.#pos += 3;
      else if (this.#startsWith(';;') || this.#startsWith(';&')) this.#pos += 2;
    }
    this.#expectWord('esac');
    return { kind: 'compound', keyword: 'case', bodies, words, redirects: [] };
  }

  #parseDoubleBracket(): Command {
    this.#expectWord('[[');
    const words: Word[] = [];
    for (;;) {
      this.#skipBlanks();
      this.#skipNewlines();
      if (this.#pos >= this.#src.length) throw this.#error('unterminated [[');
      if (this.#peekReserved() === ']]') break;
      const ch = this.#src[this.#pos] as string;
      if ('()<>&|!'.includes(ch)) this.#pos++;
      else words.push(this.readWord());
    }
    this.#expectWord(']]');
    return { kind: 'test', words, nested: [], redirects: [] };
  }

  #parseArithCommand(): Command {
    this.#pos += 2;
    const start = this.#pos;
    const nested: Script[] = [];
    this.#scanBalanced('))', nested);
    return {
      kind: 'test',
      words: [],
      nested,
      redirects: [],
      arith: this.#src.slice(start, this.#pos - 2),
    };
  }

  /** Redirections after a compound command apply to all of it. */
  #withRedirects(command: Command): Command {
    const redirects: Redirect[] = [];
    for (;;) {
      this.#skipBlanks();
      const redirect = this.#tryRedirect();
      if (redirect === undefined) break;
      redirects.push(redirect);
    }
    if (redirects.length === 0 || command.kind === 'function') return command;
    return { ...command, redirects: [...command.redirects, ...redirects] };
  }

  #parseSimple(): Command {
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      this.#skipBlanks();
      if (this.#pos >= this.#src.length) break;
      const ch = this.#src[this.#pos] as string;
      const procSub = (ch === '<' || ch === '>') && this.#src[this.#pos + 1] === '(';
      if (!procSub) {
        const redirect = this.#tryRedirect();
        if (redirect !== undefined) {
          redirects.push(redirect);
          continue;
        }
      }
      if (ch === '(' && words.length === 1 && assigns.length === 0 && redirects.length === 0) {
        this.#expectEmptyParens();
        this.#skipNewlines();
        const name = words[0]?.raw ?? '';
        return { kind: 'function', name, body: this.#nested(() => this.#parseCommand()) };
      }
      if (!procSub && METACHARS.has(ch)) break;
      const start = this.#pos;
      const word = this.readWord();
      if (words.length === 0 && ASSIGNMENT.test(word.raw)) {
        assigns.push(this.#assignmentOf(word, start));
        continue;
      }
      if (
        this.#src[this.#pos] === '(' &&
        isDeclaration(words[0]) &&
        /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$/.test(word.raw)
      ) {
        words.push(this.#declaredArray(word, start));
        continue;
      }
      words.push(word);
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0)
      throw this.#error('expected a command');
    return { kind: 'simple', assigns, words, redirects };
  }

  #assignmentOf(word: Word, start: number): Assignment {
    const name = (/^[A-Za-z_][A-Za-z0-9_]*/.exec(word.raw) ?? [''])[0];
    // The `=` after the subscript (a subscript may hold `=` itself: `a[i=1]=2`).
    const eq = (ASSIGNMENT.exec(word.raw)?.[0].length ?? word.raw.indexOf('=') + 1) - 1;
    const subscript = {
      ...(word.raw[name.length] === '['
        ? { subscript: word.raw.slice(name.length + 1, word.raw.lastIndexOf(']', eq)) }
        : {}),
      ...(word.raw[eq - 1] === '+' ? { append: true } : {}),
    };
    if (word.raw.length === eq + 1 && this.#src[this.#pos] === '(') {
      // NAME=( a b c ): an array; every element is a word that expands.
      this.#pos++;
      const value: Word[] = [];
      for (;;) {
        this.#skipBlanks();
        this.#skipNewlines();
        if (this.#src[this.#pos] === ')') break;
        if (this.#pos >= this.#src.length) throw this.#error('unterminated array');
        value.push(this.readWord());
      }
      this.#pos++;
      return { name, value, array: true, ...subscript };
    }
    // Re-read the value part alone so its parts are exact.
    const valueParser = new ShellParser(
      this.#src.slice(start + eq + 1, start + word.raw.length),
      this.#depth + 1,
    );
    const value = valueParser.#atEnd() ? [] : [valueParser.readWord()];
    return { name, value, ...subscript };
  }

  /**
   * `declare NAME=(…)` (and local, export…): one argument holding a whole array, as bash reads it.
   * Its elements keep their parts (substitutions in them run); the parentheses are literal text.
   */
  #declaredArray(head: Word, start: number): Word {
    this.#pos++;
    const parts: WordPart[] = [...head.parts];
    pushLit(parts, '(', true);
    for (let first = true; ; first = false) {
      this.#skipBlanks();
      this.#skipNewlines();
      if (this.#src[this.#pos] === ')') break;
      if (this.#pos >= this.#src.length) throw this.#error('unterminated array');
      if (!first) pushLit(parts, ' ', true);
      for (const part of this.readWord().parts) pushPart(parts, part);
    }
    this.#pos++;
    pushLit(parts, ')', true);
    return { parts, raw: this.#src.slice(start, this.#pos) };
  }

  #atEnd(): boolean {
    return this.#pos >= this.#src.length;
  }

  #tryRedirect(): Redirect | undefined {
    const start = this.#pos;
    let fd: string | undefined;
    const digits = /^[0-9]+/.exec(this.#src.slice(this.#pos, this.#pos + 10));
    if (digits !== null && '<>'.includes(this.#src[this.#pos + digits[0].length] ?? '')) {
      fd = digits[0];
      this.#pos += fd.length;
    } else if (this.#src[this.#pos] === '{') {
      const named = /^\{[A-Za-z_][A-Za-z0-9_]*\}(?=[<>])/.exec(
        this.#src.slice(this.#pos, this.#pos + 80),
      );
      if (named !== null) {
        fd = named[0];
        this.#pos += fd.length;
      }
    }
    const op = REDIRECT_OPS.find((candidate) => this.#startsWith(candidate));
    if (op === undefined || ((op === '<' || op === '>') && this.#src[this.#pos + 1] === '(')) {
      this.#pos = start;
      return undefined;
    }
    this.#pos += op.length;
    this.#skipBlanks();
    const target = this.readWord();
    const redirect: { op: string; fd: string | undefined; target: Word; heredoc?: Word } = {
      op,
      fd,
      target,
    };
    if (op === '<<' || op === '<<-') {
      const quoted =
        target.parts.some((part) => part.kind === 'lit' && part.quoted) ||
        target.raw.includes('\\');
      const delimiter = target.parts
        .map((part) => (part.kind === 'lit' ? part.value : ''))
        .join('');
      this.#pending.push({ redirect, delimiter, stripTabs: op === '<<-', quoted });
    }
    return redirect;
  }

  /** One word: every quoting form and expansion, up to an unquoted metacharacter. */
  readWord(): Word {
    const start = this.#pos;
    const parts: WordPart[] = [];
    for (;;) {
      if (this.#pos >= this.#src.length) break;
      const ch = this.#src[this.#pos] as string;
      if ((ch === '<' || ch === '>') && this.#src[this.#pos + 1] === '(') {
        this.#pos += 2;
        const start = this.#pos;
        const body = this.#nested(() => this.parseScript([], true));
        this.#expectChar(')');
        parts.push({
          kind: 'procsub',
          body: { ...body, text: this.#src.slice(start, this.#pos - 1) },
        });
        continue;
      }
      if (METACHARS.has(ch)) break;
      if (ch === '\\') {
        const next = this.#src[this.#pos + 1];
        if (next === '\n') this.#pos += 2;
        else if (next === undefined) {
          pushLit(parts, '\\', false);
          this.#pos++;
        } else {
          pushLit(parts, next, true);
          this.#pos += 2;
        }
      } else if (ch === "'") {
        const end = this.#src.indexOf("'", this.#pos + 1);
        if (end < 0) throw this.#error('unterminated single quote');
        pushLit(parts, this.#src.slice(this.#pos + 1, end), true);
        this.#pos = end + 1;
      } else if (ch === '"') {
        this.#pos++;
        for (const part of this.parseDoubleQuoted('"')) pushPart(parts, part);
      } else if (ch === '$') {
        pushPart(parts, this.#parseDollar(false));
      } else if (ch === '`') {
        parts.push(this.#parseBackticks(false));
      } else {
        pushLit(parts, ch, false);
        this.#pos++;
      }
    }
    if (this.#pos === start) throw this.#error('expected a word');
    return { parts, raw: this.#src.slice(start, this.#pos) };
  }

  /** The inside of "…" (or a here-document body when `closer` is undefined). */
  parseDoubleQuoted(closer: '"' | undefined): WordPart[] {
    const parts: WordPart[] = [];
    for (;;) {
      if (this.#pos >= this.#src.length) {
        if (closer === undefined) return parts;
        throw this.#error('unterminated double quote');
      }
      const ch = this.#src[this.#pos] as string;
      if (ch === closer) {
        this.#pos++;
        if (parts.length === 0) parts.push({ kind: 'lit', value: '', quoted: true });
        return parts;
      }
      if (ch === '\\') {
        const next = this.#src[this.#pos + 1];
        const escapable = closer === undefined ? '$`\\\n' : '$`"\\\n';
        if (next !== undefined && escapable.includes(next)) {
          if (next !== '\n') pushLit(parts, next, true);
          this.#pos += 2;
        } else {
          pushLit(parts, '\\', true);
          this.#pos++;
        }
      } else if (ch === '$') {
        pushPart(parts, this.#parseDollar(true));
      } else if (ch === '`') {
        parts.push(this.#parseBackticks(true));
      } else {
        pushLit(parts, ch, true);
        this.#pos++;
      }
    }
  }

  #parseDollar(inDouble: boolean): WordPart {
    const next = this.#src[this.#pos + 1];
    if (next === "'" && !inDouble) {
      this.#pos += 2;
      return { kind: 'lit', value: this.#readAnsiC(), quoted: true };
    }
    if (next === '"' && !inDouble) {
      this.#pos += 2;
      const parts = this.parseDoubleQuoted('"');
      const single = parts.length === 1 ? parts[0] : undefined;
      if (single !== undefined) return single;
      // Several parts inside $"…": keep them by wrapping as one opaque parameter.
      return {
        kind: 'param',
        name: '',
        plain: false,
        quoted: true,
        nested: parts.flatMap(nestedScripts),
      };
    }
    if (this.#src.startsWith('$((', this.#pos)) {
      this.#pos += 3;
      const start = this.#pos;
      const nested: Script[] = [];
      this.#scanBalanced('))', nested);
      return { kind: 'arith', nested, text: this.#src.slice(start, this.#pos - 2) };
    }
    if (next === '(') {
      this.#pos += 2;
      const start = this.#pos;
      const body = this.#nested(() => this.parseScript([], true));
      this.#expectChar(')');
      return { kind: 'cmdsub', body: { ...body, text: this.#src.slice(start, this.#pos - 1) } };
    }
    if (next === '{') {
      this.#pos += 2;
      const bodyStart = this.#pos;
      const nested: Script[] = [];
      this.#scanBalanced('}', nested);
      const inner = this.#src.slice(bodyStart, this.#pos - 1);
      const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])/.exec(inner)?.[0] ?? '';
      return {
        kind: 'param',
        name,
        plain: name !== '' && name === inner,
        quoted: inDouble,
        nested,
        inner,
      };
    }
    const simple =
      next === undefined
        ? null
        : /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]|[@*#?$!-])/.exec(
            this.#src.slice(this.#pos + 1, this.#pos + 200),
          );
    if (simple !== null) {
      this.#pos += 1 + simple[0].length;
      return { kind: 'param', name: simple[0], plain: true, quoted: inDouble, nested: [] };
    }
    this.#pos++;
    return { kind: 'lit', value: '$', quoted: inDouble };
  }

  /** `$'…'`: ANSI-C escapes decoded exactly as bash does. */
  #readAnsiC(): string {
    let out = '';
    for (;;) {
      const ch = this.#src[this.#pos];
      if (ch === undefined) throw this.#error("unterminated $'");
      if (ch === "'") {
        this.#pos++;
        return out;
      }
      if (ch !== '\\') {
        out += ch;
        this.#pos++;
        continue;
      }
      const esc = this.#src[this.#pos + 1];
      this.#pos += 2;
      const simple: Record<string, string> = {
        a: '\x07',
        b: '\b',
        e: '\x1b',
        E: '\x1b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
        v: '\v',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '?': '?',
      };
      if (esc === undefined) throw this.#error("unterminated $'");
      if (simple[esc] !== undefined) out += simple[esc];
      else if (esc === 'x') out += this.#readCode(/^[0-9A-Fa-f]{1,2}/, 16);
      else if (esc === 'u') out += this.#readCode(/^[0-9A-Fa-f]{1,4}/, 16);
      else if (esc === 'U') out += this.#readCode(/^[0-9A-Fa-f]{1,8}/, 16);
      else if (/[0-7]/.test(esc)) {
        this.#pos--;
        out += this.#readCode(/^[0-7]{1,3}/, 8);
      } else if (esc === 'c') {
        const control = this.#src[this.#pos] ?? '';
        this.#pos++;
        out += String.fromCharCode(control.charCodeAt(0) & 0x1f);
      } else out += `\\${esc}`;
    }
  }

  #readCode(pattern: RegExp, radix: number): string {
    const match = pattern.exec(this.#src.slice(this.#pos, this.#pos + 8));
    if (match === null) return '';
    this.#pos += match[0].length;
    const code = Number.parseInt(match[0], radix);
    return code > 0x10ffff ? '' : String.fromCodePoint(code);
  }

  /** Backticks: the old command substitution, with its own backslash rules. */
  #parseBackticks(inDouble: boolean): WordPart {
    this.#pos++;
    let content = '';
    for (;;) {
      const ch = this.#src[this.#pos];
      if (ch === undefined) throw this.#error('unterminated backtick');
      if (ch === '`') {
        this.#pos++;
        break;
      }
      const next = this.#src[this.#pos + 1];
      if (
        ch === '\\' &&
        next !== undefined &&
        ('$`\\'.includes(next) || (inDouble && next === '"'))
      ) {
        content += next;
        this.#pos += 2;
      } else {
        content += ch;
        this.#pos++;
      }
    }
    return {
      kind: 'cmdsub',
      body: { ...parseShell(content, this.#depth + this.#level + 1), text: content },
    };
  }

  /** Skips to `closer` (`}` of `${…}` or `))` of arithmetic), collecting substitutions inside. */
  #scanBalanced(closer: '}' | '))', nested: Script[]): void {
    let depth = 0;
    for (;;) {
      const ch = this.#src[this.#pos];
      if (ch === undefined) throw this.#error(`expected ${closer}`);
      if (closer === '}' && ch === '}' && depth === 0) {
        this.#pos++;
        return;
      }
      if (closer === '))' && ch === ')' && depth === 0) {
        if (this.#src[this.#pos + 1] !== ')') throw this.#error('expected ))');
        this.#pos += 2;
        return;
      }
      if (ch === '\\') this.#pos += 2;
      else if (ch === "'" && closer === '}') {
        const end = this.#src.indexOf("'", this.#pos + 1);
        if (end < 0) throw this.#error('unterminated single quote');
        this.#pos = end + 1;
      } else if (ch === '"') {
        this.#pos++;
        for (const part of this.parseDoubleQuoted('"')) nested.push(...nestedScripts(part));
      } else if (ch === '$') {
        nested.push(...nestedScripts(this.#parseDollar(false)));
      } else if (ch === '`') {
        nested.push(...nestedScripts(this.#parseBackticks(false)));
      } else {
        if (ch === (closer === '}' ? '{' : '(')) depth++;
        if (ch === (closer === '}' ? '}' : ')')) depth--;
        this.#pos++;
      }
    }
  }

  /** Spaces, tabs, line continuations and comments (never newlines: they separate commands). */
  #skipBlanks(): void {
    for (;;) {
      const ch = this.#src[this.#pos];
      if (ch === ' ' || ch === '\t' || ch === '\r') this.#pos++;
      else if (ch === '\\' && this.#src[this.#pos + 1] === '\n') this.#pos += 2;
      else if (ch === '#') {
        const end = this.#src.indexOf('\n', this.#pos);
        this.#pos = end < 0 ? this.#src.length : end;
      } else return;
    }
  }

  #skipNewlines(): void {
    for (;;) {
      this.#skipBlanks();
      if (this.#src[this.#pos] !== '\n') return;
      this.#consumeNewline();
    }
  }

  /** Blanks, newlines and lone `;` between statements. */
  #skipSeparators(): void {
    for (;;) {
      this.#skipNewlines();
      if (this.#src[this.#pos] === ';' && !this.#startsWith(';;') && !this.#startsWith(';&'))
        this.#pos++;
      else return;
    }
  }

  /** A newline ends a line: here-documents started on it are read now. */
  #consumeNewline(): void {
    this.#pos++;
    if (this.#pending.length > 0) this.#readHeredocBodies();
  }

  #readHeredocBodies(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const doc of pending) {
      let body = '';
      for (;;) {
        if (this.#pos >= this.#src.length) break;
        const eol = this.#src.indexOf('\n', this.#pos);
        const lineEnd = eol < 0 ? this.#src.length : eol;
        const line = this.#src.slice(this.#pos, lineEnd);
        this.#pos = eol < 0 ? this.#src.length : eol + 1;
        const compared = doc.stripTabs ? line.replace(/^\t+/, '') : line;
        if (compared === doc.delimiter) break;
        body += `${compared}\n`;
      }
      doc.redirect.heredoc = doc.quoted
        ? { parts: [{ kind: 'lit', value: body, quoted: true }], raw: body }
        : { parts: new ShellParser(body, this.#depth + 1).parseDoubleQuoted(undefined), raw: body };
    }
  }

  /** The unquoted literal word at the cursor, if it is one (reserved words are only these). */
  #peekReserved(): string | undefined {
    let end = this.#pos;
    while (end < this.#src.length && !METACHARS.has(this.#src[end] as string)) end++;
    const text = this.#src.slice(this.#pos, end);
    if (text === '' || /["'\\$`]/.test(text))
      return text === '' && this.#src[this.#pos] === '!' ? '!' : undefined;
    return text;
  }

  #expectWord(word: string): void {
    this.#skipSeparators();
    if (this.#peekReserved() !== word) throw this.#error(`expected ${word}`);
    this.#pos += word.length;
  }

  #expectChar(ch: string): void {
    this.#skipSeparators();
    if (this.#src[this.#pos] !== ch) throw this.#error(`expected ${ch}`);
    this.#pos++;
  }

  #expectEmptyParens(): void {
    this.#expectChar('(');
    this.#skipBlanks();
    this.#expectChar(')');
  }

  #startsWith(text: string): boolean {
    return this.#src.startsWith(text, this.#pos);
  }

  #nested<T>(body: () => T): T {
    if (this.#depth + this.#level + 1 > MAX_DEPTH) throw this.#error('nesting too deep');
    this.#level++;
    try {
      return body();
    } finally {
      this.#level--;
    }
  }

  #error(message: string): ShellSyntaxError {
    return new ShellSyntaxError(message, this.#pos);
  }
}

/**
 * The parts of text that bash expands again before evaluating it arithmetically (an array
 * subscript, a `let` expression): parameters, command substitutions and arithmetic, as inside a
 * here-document. Quotes are kept as text, so a `$(…)` inside them is found too.
 * Throws {@link ShellSyntaxError} when a substitution inside cannot be parsed.
 */
export function parseExpansionText(text: string): WordPart[] {
  return new ShellParser(text, 1).parseDoubleQuoted(undefined);
}

/** `declare`, `typeset`, `local`, `export`, `readonly`: builtins that take `NAME=(…)` arguments. */
function isDeclaration(word: Word | undefined): boolean {
  const part = word?.parts.length === 1 ? word.parts[0] : undefined;
  return (
    part?.kind === 'lit' &&
    !part.quoted &&
    ['declare', 'typeset', 'local', 'export', 'readonly'].includes(part.value)
  );
}

function pushLit(parts: WordPart[], value: string, quoted: boolean): void {
  const last = parts[parts.length - 1];
  if (last !== undefined && last.kind === 'lit' && last.quoted === quoted)
    parts[parts.length - 1] = { kind: 'lit', value: last.value + value, quoted };
  else parts.push({ kind: 'lit', value, quoted });
}

function pushPart(parts: WordPart[], part: WordPart): void {
  if (part.kind === 'lit') pushLit(parts, part.value, part.quoted);
  else parts.push(part);
}

/** Scripts a word part runs when it expands. */
export function nestedScripts(part: WordPart): Script[] {
  switch (part.kind) {
    case 'cmdsub':
    case 'procsub':
      return [part.body];
    case 'param':
    case 'arith':
      return [...part.nested];
    default:
      return [];
  }
}
