import { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './admin-command.js';
import { registerApprovalCommands } from './approvals-command.js';
import { registerApproverCommands } from './approver-command.js';
import { registerAuditCommands } from './audit-command.js';
import { registerCatalogCommands } from './catalog-command.js';
import { registerCheckCommand } from './check-command.js';
import { registerConfigCommands } from './config-command.js';
import { registerDemoCommand } from './demo-command.js';
import { EXIT } from './exit-codes.js';
import { registerHookCommands } from './hook-command.js';
import { registerInitCommand } from './init-command.js';
import { registerMcpCommands } from './mcp-command.js';
import { reportError } from './output.js';
import { registerPolicyCommands } from './policy-command.js';
import { registerPostgresCommands } from './postgres-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerSetupCommand } from './setup-command.js';
import { registerStandinCommand } from './standin-command.js';
import { registerTokenCommands } from './token-command.js';

const program = new Command('airlock')
  .description('Airlock: the enforcement gateway between AI agents and what they can damage')
  .option('--home <dir>', 'folder with airlock.yaml, policies and the store (default: $AIRLOCK_HOME or ./.airlock)')
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
