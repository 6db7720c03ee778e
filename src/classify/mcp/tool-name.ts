// Tool names an agent sees must not be confusable: two names that look alike could make an
// agent (or the human reading its transcript) call one tool while believing it calls another.
// The rule is SEP-986 (MCP's tool-name format): 1–128 characters of A-Z a-z 0-9 _ - . and
// nothing else. Names outside it are refused outright, which rules out every invisible
// character and every non-Latin look-alike; among the names left, a TR39-style skeleton (NFKC,
// ASCII confusables, case and separator folded) finds names that differ only in look-alikes.

const PORTABLE_TOOL_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** Whether a tool name follows MCP's tool-name format (SEP-986); others are refused. */
export function isPortableToolName(name: string): boolean {
  return PORTABLE_TOOL_NAME.test(name);
}

// Default-ignorable and format characters (zero-width space/joiners, bidi controls, variation
// selectors, tags, soft hyphen, …): invisible, so they must never tell two names apart.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;

// Letters that render like ASCII in common fonts (Unicode confusables.txt, the Cyrillic, Greek
// and Latin entries mapping to a single ASCII letter or digit). Only used to explain a refusal
// and to fold names before comparison: a name carrying any of them is never portable anyway.
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  ι: 'i',
  κ: 'k',
  τ: 't',
  υ: 'u',
  χ: 'x',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  ı: 'i',
  ȷ: 'j',
  ℓ: 'l',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '−': '-',
  '․': '.',
  '＿': '_',
};

// ASCII sequences TR39 lists as confusable with each other, folded to one representative. Case
// is folded first, so I/i/l/1 all meet at l (stricter than TR39, which keeps case: a name
// pair differing only there is refused, never guessed apart).
const ASCII_CONFUSABLES: readonly (readonly [RegExp, string])[] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
  [/[1i|]/g, 'l'],
  [/0/g, 'o'],
];

/**
 * The form two tool names share when they differ only by look-alike characters, invisible
 * characters, case or separator (`_` `-` `.`): equal skeletons mean "confusable".
 */
export function toolNameSkeleton(name: string): string {
  let text = name.normalize('NFKC').replace(INVISIBLE, '');
  text = Array.from(text, (char) => LOOK_ALIKES[char] ?? char).join('');
  text = text.toLowerCase();
  for (const [pattern, replacement] of ASCII_CONFUSABLES) text = text.replace(pattern, replacement);
  return text.replace(/[-.]/g, '_');
}

/**
 * The key a tool is looked up by in a catalog: lowercase, with `-` and `.` as `_`
 * (`list-projects` and `list_projects` are the same tool to Airlock).
 */
export function toCatalogKey(name: string): string {
  return name.toLowerCase().replace(/[-.]/g, '_');
}

/**
 * Explains why a tool name is refused, or undefined when it is portable. Names a catalog tool
 * the refused name imitates, when there is one.
 */
export function toolNameProblem(name: string, known: Iterable<string> = []): string | undefined {
  if (isPortableToolName(name)) return undefined;
  const skeleton = toolNameSkeleton(name);
  for (const candidate of known) {
    if (toolNameSkeleton(candidate) === skeleton) {
      return `tool name \`${JSON.stringify(name).slice(1, -1)}\` imitates \`${candidate}\` with look-alike or invisible characters`;
    }
  }
  return `tool name \`${JSON.stringify(name).slice(1, -1)}\` is outside MCP's tool-name format (A-Z a-z 0-9 _ - ., at most 128)`;
}

/**
 * The tool a hook names for a server: Claude Code calls `remove_volume` of server `railway`
 * `mcp__railway__remove_volume`. Returns the bare tool name, or undefined when the prefix names
 * a different server (which must never borrow this server's catalog).
 */
export function stripServerPrefix(server: string, tool: string): string | undefined {
  if (!tool.startsWith('mcp__')) return tool;
  const rest = tool.slice('mcp__'.length);
  const split = rest.indexOf('__');
  if (split <= 0) return undefined;
  const named = rest.slice(0, split);
  // Claude Code writes a server name with characters outside [A-Za-z0-9_-] as `_`.
  const spellings = new Set([server, server.replace(/[^A-Za-z0-9_-]/g, '_')]);
  return spellings.has(named) ? rest.slice(split + 2) : undefined;
}
