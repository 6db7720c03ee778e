/**
 * Recognizes inline Python or JavaScript that provably does nothing but print literals, e.g.
 * `print('hello')` or `console.log("x", 1)`. This is a whitelist on tokens, not a search for
 * dangerous names: anything that is not a print call with string/number literals is refused.
 */

const STRING = String.raw`(?:'(?:[^'\\\n]|\\[^\n])*'|"(?:[^"\\\n]|\\[^\n])*")`;
const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const LITERAL = `(?:[rbuRBU]?${STRING}|${NUMBER})`;
const ARGS = String.raw`\s*(?:${LITERAL}\s*(?:,\s*${LITERAL}\s*)*)?`;
const CALL = {
  python: String.raw`print\(${ARGS}\)`,
  javascript: String.raw`console\.(?:log|info|error)\(${ARGS}\)`,
};

/** True when `code` is only print calls of literals, separated by `;` or newlines. */
export function isInertCode(code: string, language: 'python' | 'javascript'): boolean {
  const statement = CALL[language];
  const program = new RegExp(
    String.raw`^\s*(?:${statement})(?:\s*[;\n]\s*(?:${statement}))*\s*;?\s*$`,
  );
  // f-strings and template literals evaluate code, and are not matched by the literal forms above.
  return code.length < 10_000 && program.test(code);
}
