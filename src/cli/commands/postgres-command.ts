import type { Command } from 'commander';
import type { ResolvedPostgresUpstream } from '../../adapters/postgres/index.js';
import {
  RestoreRefused,
  listSnapshots,
  postgresUpstreamsOf,
  restoreSnapshot,
} from '../../adapters/postgres/index.js';
import { upstreamSections } from '../../config/index.js';
import { loadConfigOf, orRefuse } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';

/** The config's postgres upstreams; `needCredential: false` lets `snapshots list` run without the password. */
function postgresUpstreams(command: Command, needCredential = true): ResolvedPostgresUpstream[] {
  const loaded = loadConfigOf(command);
  const sections = upstreamSections(loaded.config, 'postgres');
  return orRefuse(
    postgresUpstreamsOf(sections, { env: process.env, home: loaded.home }, needCredential),
    'invalid postgres upstream configuration',
  );
}

/** Registers `airlock snapshots list` and `airlock restore ID [--into DB]`. */
export function registerPostgresCommands(program: Command): void {
  const snapshots = program
    .command('snapshots')
    .description('snapshots taken before destructive statements ran');
  snapshots
    .command('list')
    .description('list the snapshots in every postgres upstream vault, oldest first')
    .option('--json', 'one JSON object per snapshot')
    .action((flags: { json?: boolean }, command: Command) => {
      const upstreams = postgresUpstreams(command, false);
      const all = upstreams.flatMap((upstream) => listSnapshots(upstream.vaultDir));
      if (flags.json === true) {
        for (const snapshot of all) printJson(snapshot);
        return;
      }
      if (all.length === 0) return printLines('no snapshots');
      printLines(
        ...all.map((s) => {
          const what =
            s.scope.kind === 'database'
              ? `database ${s.scope.name}`
              : `${s.scope.kind} ${s.scope.names.join(', ')}`;
          const saved =
            s.nothingExisted === true
              ? `nothing existed (${(s.missing ?? []).join(', ')})`
              : `${s.bytes} bytes  sha256 ${s.sha256.slice(0, 12)}…`;
          return `${s.id}  ${s.takenAt}  ${s.upstream}/${s.database}  ${what}  ${saved}  approval ${s.approvalId ?? '-'}`;
        }),
      );
    });

  program
    .command('restore')
    .description(
      'restore a snapshot into its database (objects in it are replaced) or into another one',
    )
    .argument('<id>', 'snapshot id (see `airlock snapshots list`)')
    .option('--into <database>', 'restore into this database instead, created when missing')
    .option('--json', 'print the result as a JSON object')
    .action(async (id: string, flags: { into?: string; json?: boolean }, command: Command) => {
      const upstreams = postgresUpstreams(command);
      const owner = upstreams.find((upstream) =>
        listSnapshots(upstream.vaultDir).some((snapshot) => snapshot.id === id),
      );
      if (owner === undefined)
        throw new CliFailure(`no snapshot \`${id}\` in any vault`, EXIT.invalidInput);
      try {
        const result = await restoreSnapshot(owner.vaultDir, id, owner.target, flags.into);
        if (flags.json === true)
          printJson({
            id,
            upstream: owner.name,
            database: result.database,
            created: result.created,
          });
        else
          printLines(
            `restored ${id} into ${owner.name}/${result.database}${result.created ? ' (created)' : ''}`,
          );
      } catch (error) {
        if (error instanceof RestoreRefused) throw new CliFailure(error.message, EXIT.invalidInput);
        throw new CliFailure(`restore of \`${id}\` failed`, EXIT.internal, [
          error instanceof Error ? error.message : 'unknown error',
        ]);
      }
    });
}
