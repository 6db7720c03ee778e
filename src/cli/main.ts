import { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './commands/admin-command.js';
import { registerApprovalCommands } from './commands/approvals-command.js';
import { registerApproverCommands } from './commands/approver-command.js';
import { registerAuditCommands } from './commands/audit-command.js';
import { registerCatalogCommands } from './commands/catalog-command.js';
import { registerScanCommand } from './commands/scan-command.js';
import { registerCheckCommand } from './commands/check-command.js';
import { registerConfigCommands } from './commands/config-command.js';
import { registerDemoCommand } from './commands/demo/demo-command.js';
import { EXIT } from './exit-codes.js';
import { registerHookCommands } from './hook/hook-command.js';
import { registerInitCommand } from './commands/init-command.js';
import { registerMcpCommands } from './commands/mcp-command.js';
import { reportError } from './output.js';
import { registerPolicyCommands } from './commands/policy-command.js';
import { registerPostgresCommands } from './commands/postgres-command.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerSetupCommand } from './commands/setup-command.js';
import { registerStandinCommand } from './commands/standin-command.js';
import { registerTokenCommands } from './commands/token-command.js';

const program = new Command('airlock')
  .description('Airlock: the enforcement gateway between AI agents and what they can damage')
  .option(
    '--home <dir>',
    'folder with airlock.yaml, policies and the store (default: $AIRLOCK_HOME or ./.airlock)',
  )
  .showHelpAfterError()
  .exitOverride();

registerInitCommand(program);
registerDemoCommand(program);
registerCheckCommand(program);
registerPolicyCommands(program);
registerTokenCommands(program);
registerAuditCommands(program);
registerApproverCommands(program);
registerAdminCommands(program);
registerApprovalCommands(program);
registerConfigCommands(program);
registerStandinCommand(program);
registerServeCommand(program);
registerSetupCommand(program);
registerHookCommands(program);
registerPostgresCommands(program);
registerMcpCommands(program);
registerCatalogCommands(program);
registerScanCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not failures; everything else commander reports is a usage error.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
  } else {
    process.exitCode = reportError(error, process.argv.includes('--json'));
  }
}
