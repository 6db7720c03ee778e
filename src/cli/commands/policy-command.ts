import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { PolicyCase, PolicyCaseResult } from '../../firewall/index.js';
import { parsePolicyCases, runPolicyCases } from '../../firewall/index.js';
import { adminAuthOf, withAdmin } from '../admin-client.js';
import { decideOptionsOf, loadConfigOf } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';
import { loadEngineFor } from '../policy-loading.js';

const CASE_FILE = /\.test\.(ya?ml|json)$/;

/** Registers `airlock policy test DIR | reload`. */
export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('Cedar policies');
  policy
    .command('reload')
    .description(
      'make the server load its policy folder again: all of it compiles, or the set in force stays',
    )
    .option(
      '--as <admin>',
      'the administrator asking; their TOTP code is read from the terminal (needed when a server owns the home)',
    )
    .option('--json', 'print JSON')
    .action(async (flags: { as?: string; json?: boolean }, command: Command) =>
      withAdmin(command, async (admin) => {
        const reloaded = await admin.call('reloadPolicy', { auth: adminAuthOf(admin, flags.as) });
        if (flags.json) printJson({ ...reloaded, mode: admin.mode });
        else if (admin.mode === 'remote')
          printLines(
            `reloaded ${reloaded.policyFiles} policy file(s) from ${reloaded.loadedFrom}; the new set is in force`,
          );
        else
          printLines(
            `checked ${reloaded.policyFiles} policy file(s) in ${reloaded.loadedFrom}: valid. No server runs on this home; \`airlock serve\` loads them when it starts`,
          );
      }),
    );
  policy
    .command('test <dir>')
    .description(
      'load the policies in DIR and run the cases in DIR/*.test.yaml; exit 1 on any failure',
    )
    .option('--json', 'one JSON result per case, then a summary')
    .action(async (dir: string, flags: { json?: boolean }, command: Command) => {
      const folder = resolve(dir);
      const engine = await loadEngineFor(folder, true);
      const cases = readCases(folder);
      const results = runPolicyCases(engine, cases, decideOptionsOf(loadConfigOf(command)));
      report(results, flags.json === true);
      if (results.some((result) => !result.passed)) process.exitCode = EXIT.failed;
    });
}

function readCases(folder: string): PolicyCase[] {
  const files = existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => CASE_FILE.test(name))
        .sort()
    : [];
  // A run with no cases would pass without testing anything.
  if (files.length === 0)
    throw new CliFailure(`no case files (*.test.yaml) in \`${folder}\``, EXIT.invalidInput);
  const cases: PolicyCase[] = [];
  const problems: string[] = [];
  for (const name of files) {
    const parsed = parsePolicyCases(readFileSync(join(folder, name), 'utf8'), name);
    if (parsed.ok) cases.push(...parsed.value);
    else problems.push(...parsed.error);
  }
  if (problems.length > 0)
    throw new CliFailure('invalid policy cases; nothing was run', EXIT.invalidInput, problems);
  return cases;
}

function report(results: readonly PolicyCaseResult[], json: boolean): void {
  const failed = results.filter((result) => !result.passed).length;
  for (const result of results) {
    if (json)
      printJson({
        name: result.name,
        passed: result.passed,
        verdict: result.actual?.verdict ?? null,
        differences: result.differences,
      });
    else
      printLines(
        `${result.passed ? 'pass' : 'FAIL'}  ${result.name}`,
        ...result.differences.map((d) => `      ${d}`),
      );
  }
  if (json) printJson({ passed: results.length - failed, failed });
  else printLines(`${results.length - failed} passed, ${failed} failed`);
}
