import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ScanFindingV1, ScanReportV1 } from '../../scan/index.js';
import { ScanInputError, scanCredentials } from '../../scan/index.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';

/** Overrides the user's home the scan reads CLI configs from (tests point it at a fixture). */
export const SCAN_HOME_ENV = 'AIRLOCK_SCAN_HOME';

interface ScanFlags {
  readonly json?: boolean;
  readonly userHome?: string;
  /** commander's `--no-home` and `--no-env`. */
  readonly home?: boolean;
  readonly env?: boolean;
}

/** Registers `airlock scan [PATH…]`: stray provider credentials an agent could read. */
export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description(
      'find provider credentials an agent could read: the workspace, your CLI logins, the environment (exit 1 when any)',
    )
    .argument('[paths...]', 'files or folders to scan (default: the current folder)')
    .option('--json', 'one JSON report on stdout')
    .option(
      '--user-home <dir>',
      `the home whose CLI configs are read (default: $${SCAN_HOME_ENV}, else your home)`,
    )
    .option('--no-home', 'do not read the CLI configs in the home')
    .option('--no-env', 'do not look through the environment')
    .action((paths: string[], flags: ScanFlags) => {
      const report = runScan(paths, flags);
      if (flags.json === true) printJson(report);
      else printReport(report);
      process.exitCode = report.findings.length > 0 ? EXIT.failed : EXIT.ok;
    });
}

/** One scan as the command line asks for it; bad paths are a usage failure (exit 2). */
export function runScan(paths: readonly string[], flags: ScanFlags): ScanReportV1 {
  const userHome = flags.userHome ?? process.env[SCAN_HOME_ENV] ?? homedir();
  try {
    return scanCredentials({
      paths: paths.length > 0 ? paths : ['.'],
      cwd: process.cwd(),
      ...(flags.home === false ? {} : { userHome: resolve(userHome) }),
      ...(flags.env === false ? {} : { env: process.env }),
    });
  } catch (error) {
    if (error instanceof ScanInputError) throw new CliFailure(error.message, EXIT.invalidInput);
    throw error;
  }
}

function printReport(report: ScanReportV1): void {
  const lines = report.findings.map(describeFinding);
  const skipped = report.skipped.map((skip) => `  not read: ${skip.location} (${skip.why})`);
  if (report.findings.length === 0) {
    printLines(`no provider credentials found (${report.filesRead} files read)`, ...skipped);
    return;
  }
  printLines(
    `${report.findings.length} provider credential${report.findings.length === 1 ? '' : 's'} an agent could read (${report.filesRead} files read):`,
    ...lines,
    ...skipped,
    "Move each behind Airlock (an upstream's credentialFile) and give agents scoped Airlock tokens instead.",
  );
}

/** One finding in words; the secret is never part of it, only its fingerprint. */
function describeFinding(finding: ScanFindingV1): string {
  const where =
    finding.source === 'environment'
      ? `environment ${finding.location}`
      : `${finding.location}:${finding.line}`;
  return `  ${where}: ${finding.platform} ${finding.kind} (fingerprint ${finding.fingerprint}): ${finding.can}`;
}
