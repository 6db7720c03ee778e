/**
 * A static reading of a Makefile: simple variables, explicit rules and their recipe lines. What
 * only make itself could work out (functions, includes, conditionals, pattern rules, `define`)
 * is marked so that the make handler answers `unknown` rather than guess.
 */

/** One explicit rule: its prerequisites and recipe lines (as written, before expansion). */
export interface MakeRule {
  readonly prerequisites: string[];
  readonly recipe: string[];
  /** Defined where make's answer depends on more than this file (a conditional, target variables). */
  dynamic: string | undefined;
}

/** What the file says, as far as a static reading goes. */
export interface Makefile {
  readonly variables: ReadonlyMap<string, string>;
  /** Variables whose value depends on something this reading does not follow. */
  readonly dynamicVariables: ReadonlySet<string>;
  readonly rules: ReadonlyMap<string, MakeRule>;
  /** Targets with `%`: the rules make would use for files no explicit rule names. */
  readonly patternRules: boolean;
  readonly defaultGoal: string | undefined;
  /** Why nothing in this file can be trusted statically (an include, `$(shell …)`…), if so. */
  readonly opaque: string | undefined;
  /** `.ONESHELL`: a recipe runs as one shell script rather than line by line. */
  readonly oneShell: boolean;
}

/** Functions that run commands, write files or define make code when the file is read. */
const EAGER_FUNCTIONS = /\$[({](shell|file|eval|guile|call|value|load)[\s)}]/;
const DIRECTIVES =
  /^(-?include|sinclude|load|vpath|unexport|undefine|override\s+define|define|endef|ifeq|ifneq|ifdef|ifndef|else|endif)\b/;

/** Reads Makefile text into a `Makefile`. Never throws. */
export function parseMakefile(text: string): Makefile {
  const variables = new Map<string, string>();
  const dynamicVariables = new Set<string>();
  const rules = new Map<string, MakeRule>();
  const state = {
    opaque: undefined as string | undefined,
    patternRules: false,
    defaultGoal: undefined as string | undefined,
    oneShell: false,
    conditionDepth: 0,
  };
  let current: MakeRule[] = [];
  if (EAGER_FUNCTIONS.test(text) || /^[^#\t]*!=/m.test(text))
    state.opaque = 'runs commands or defines code as it is read (`$(shell …)`, `!=`, `$(eval …)`…)';
  if (/^\s*\.RECIPEPREFIX/m.test(text)) state.opaque = 'changes the recipe prefix';
  for (const line of logicalLines(text)) {
    if (line.startsWith('\t')) {
      for (const rule of current) rule.recipe.push(line.slice(1));
      continue;
    }
    const code = stripComment(line).trim();
    if (code === '') continue;
    // `export NAME…` without a value only passes variables on to recipes.
    if (/^export(\s+[^=:]*)?$/.test(code)) continue;
    const directive = DIRECTIVES.exec(code)?.[1];
    if (directive !== undefined) {
      if (/^(-?include|sinclude|load)$/.test(directive))
        state.opaque = `\`${directive}\` reads another file`;
      else if (directive.endsWith('define')) state.opaque = 'multi-line variables (`define`)';
      else if (directive.startsWith('if')) state.conditionDepth++;
      else if (directive === 'endif') state.conditionDepth = Math.max(0, state.conditionDepth - 1);
      current = [];
      continue;
    }
    const assignment =
      /^(?:(?:export|override|private)\s+)*([^\s:#=+?!]+)\s*(=|:=|::=|:::=|\?=|\+=)\s*(.*)$/.exec(
        code,
      );
    if (assignment !== null) {
      assign(
        assignment[1] as string,
        assignment[2] as string,
        assignment[3] as string,
        state.conditionDepth > 0,
        variables,
        dynamicVariables,
      );
      current = [];
      continue;
    }
    current = ruleLine(code, state, rules);
  }
  return {
    variables,
    dynamicVariables,
    rules,
    patternRules: state.patternRules,
    defaultGoal: state.defaultGoal,
    opaque: state.opaque,
    oneShell: state.oneShell,
  };
}

function assign(
  name: string,
  op: string,
  value: string,
  conditional: boolean,
  variables: Map<string, string>,
  dynamicVariables: Set<string>,
): void {
  // A variable set under a condition, or one make may take from the environment (`?=`), is not known here.
  if (conditional || op === '?=') dynamicVariables.add(name);
  if (op === '+=') variables.set(name, `${variables.get(name) ?? ''} ${value}`.trim());
  else variables.set(name, value);
}

/** One `targets: prerequisites [; recipe]` line; gives the rules the recipe lines that follow belong to. */
function ruleLine(
  code: string,
  state: {
    opaque: string | undefined;
    patternRules: boolean;
    defaultGoal: string | undefined;
    oneShell: boolean;
    conditionDepth: number;
  },
  rules: Map<string, MakeRule>,
): MakeRule[] {
  const colon = code.search(/::?(?!=)/);
  if (colon < 0) {
    state.opaque ??= `a line this reading does not follow: \`${code.slice(0, 60)}\``;
    return [];
  }
  const targets = code
    .slice(0, colon)
    .trim()
    .split(/\s+/)
    .filter((target) => target !== '');
  let rest = code.slice(colon + 1).replace(/^:/, '');
  let inline: string | undefined;
  const semicolon = rest.indexOf(';');
  if (semicolon >= 0) {
    inline = rest.slice(semicolon + 1).trim();
    rest = rest.slice(0, semicolon);
  }
  if (targets.includes('.ONESHELL')) state.oneShell = true;
  const special = targets.every((target) => target.startsWith('.') && !target.includes('/'));
  const targetVariable =
    /^\s*(?:export\s+|override\s+|private\s+)*[^\s:#=]+\s*(=|:=|::=|\?=|\+=)/.test(rest);
  const staticPattern = rest.includes(':') || rest.includes('%');
  const prerequisites = rest
    .split('|')
    .join(' ')
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  const owned: MakeRule[] = [];
  for (const target of targets) {
    if (target.includes('%')) state.patternRules = true;
    if (!special && !target.includes('%') && state.defaultGoal === undefined)
      state.defaultGoal = target;
    const rule = rules.get(target) ?? { prerequisites: [], recipe: [], dynamic: undefined };
    if (!targetVariable) rule.prerequisites.push(...prerequisites);
    if (targetVariable) rule.dynamic ??= 'target-specific variables';
    else if (staticPattern) rule.dynamic ??= 'a static pattern rule';
    if (state.conditionDepth > 0) rule.dynamic ??= 'defined under a conditional';
    if (inline !== undefined && inline !== '') rule.recipe.push(inline);
    rules.set(target, rule);
    owned.push(rule);
  }
  return targetVariable ? [] : owned;
}

/** Lines with backslash-newline continuations joined (recipe lines keep theirs, as make hands them to the shell). */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const joined: string =
      pending === undefined
        ? line
        : pending.startsWith('\t')
          ? `${pending}\n${line.replace(/^\t/, '')}`
          : `${pending.replace(/\s*$/, '')} ${line.trimStart()}`;
    if (/(^|[^\\])(\\\\)*\\$/.test(joined))
      pending = joined.startsWith('\t') ? joined : joined.slice(0, -1);
    else {
      lines.push(joined);
      pending = undefined;
    }
  }
  if (pending !== undefined) lines.push(pending);
  return lines;
}

function stripComment(line: string): string {
  const hash = line.search(/(^|[^\\])#/);
  return hash < 0 ? line : line.slice(0, hash + (line[hash] === '#' ? 0 : 1));
}

/** The builtin variables recipes commonly use, with make's defaults (GNU make 4). */
export const BUILTIN_VARIABLES: ReadonlyMap<string, string> = new Map([
  ['CC', 'cc'],
  ['CXX', 'g++'],
  ['CPP', '$(CC) -E'],
  ['FC', 'f77'],
  ['LD', 'ld'],
  ['AR', 'ar'],
  ['AS', 'as'],
  ['RM', 'rm -f'],
  ['ARFLAGS', 'rv'],
  ['MAKE', 'make'],
  ['SHELL', '/bin/sh'],
  ['CFLAGS', ''],
  ['CXXFLAGS', ''],
  ['CPPFLAGS', ''],
  ['LDFLAGS', ''],
  ['LDLIBS', ''],
]);
