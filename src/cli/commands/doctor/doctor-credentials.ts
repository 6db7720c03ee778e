import { homedir } from 'node:os';
import { scanCredentials } from '../../../scan/index.js';
import { SCAN_HOME_ENV } from '../scan-command.js';
import type { DoctorCheck } from './doctor-command.js';

/**
 * Doctor's credentials section (issue 24 part 4): `airlock scan` of the project, the user's CLI
 * logins and this environment. A provider credential an agent could read is a failed check (the
 * finding in words with its fingerprint, never the secret); none is one passed check.
 */
export function checkStrayCredentials(project: string, env: NodeJS.ProcessEnv): DoctorCheck[] {
  const userHome = env[SCAN_HOME_ENV] ?? env['HOME'] ?? homedir();
  const report = scanCredentials({ paths: [project], cwd: project, userHome, env });
  if (report.findings.length === 0)
    return [
      {
        check: 'stray credentials',
        ok: true,
        detail: `none an agent could read (${report.filesRead} files, your CLI logins and this environment; airlock scan)`,
      },
    ];
  return report.findings.map((finding) => ({
    check: 'stray credential',
    ok: false,
    detail: `${finding.source === 'environment' ? `environment ${finding.location}` : `${finding.location}:${finding.line}`}: ${finding.platform} ${finding.kind} (fingerprint ${finding.fingerprint}) an agent could read; move it behind Airlock and give agents a scoped token (airlock scan)`,
  }));
}
