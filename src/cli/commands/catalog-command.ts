import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { draftCatalogFromOpenApi } from '../../classify/index.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';

/**
 * Registers `airlock catalog import openapi FILE [--out FILE] [--platform NAME]`: drafts a REST
 * catalog from an OpenAPI 3 document (JSON or YAML) for a human to review.
 */
export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('REST catalogs: what each endpoint of an API does');
  const importCommand = catalog
    .command('import')
    .description('draft a catalog from an API description');
  importCommand
    .command('openapi')
    .argument('<file>', 'an OpenAPI 3 document, JSON or YAML')
    .option('--out <file>', 'write the catalog here (default: print it)')
    .option('--platform <name>', "the catalog's platform name", 'imported')
    .option('--force', 'overwrite --out if it exists')
    .option('--json', 'print a JSON summary')
    .description(
      'draft a catalog: DELETE destructive, GET read, the rest write, every entry marked for review',
    )
    .action(
      (
        file: string,
        flags: { out?: string; platform: string; force?: boolean; json?: boolean },
      ) => {
        const document = readDocument(file);
        if (!/^[a-z0-9][a-z0-9-]*$/.test(flags.platform)) {
          throw new CliFailure(`invalid platform \`${flags.platform}\``, EXIT.invalidInput, [
            'lowercase letters, digits and dashes',
          ]);
        }
        const drafted = draftCatalogFromOpenApi(document, flags.platform);
        if (!drafted.ok)
          throw new CliFailure(
            `cannot draft a catalog from \`${file}\``,
            EXIT.invalidInput,
            drafted.error,
          );
        const text = `${JSON.stringify(drafted.value.catalog, null, 2)}\n`;
        if (flags.out !== undefined) {
          if (existsSync(flags.out) && flags.force !== true)
            throw new CliFailure(
              `\`${flags.out}\` exists; pass --force to overwrite it`,
              EXIT.invalidInput,
            );
          writeFileSync(flags.out, text);
        }
        const endpoints = drafted.value.catalog.endpoints.length;
        if (flags.json === true) {
          printJson({
            out: flags.out ?? null,
            endpoints,
            skipped: drafted.value.skipped,
            ...(flags.out === undefined ? { catalog: drafted.value.catalog } : {}),
          });
        } else if (flags.out === undefined) {
          process.stdout.write(text);
        } else {
          printLines(
            `drafted ${endpoints} endpoints into ${flags.out}: review every entry (effect, reversible, targets), then remove its \`review\` mark`,
            ...drafted.value.skipped.map((line) => `  skipped ${line}`),
          );
        }
      },
    );
}

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliFailure(`cannot read \`${file}\``, EXIT.invalidInput);
  }
  try {
    return /\.ya?ml$/i.test(file) ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch {
    throw new CliFailure(
      `\`${file}\` is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}`,
      EXIT.invalidInput,
    );
  }
}
