/**
 * Regenerates src/classify/sql/pg-catalog-functions.ts from a real PostgreSQL's pg_proc:
 * $DATABASE_URL when set, else the embedded PostgreSQL the tests use.
 *
 *   node --import tsx scripts/generate-pg-functions.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startTestPostgres } from '../test/pg-server.js';
import {
  CATALOG_MODULE_PATH,
  readCatalogSnapshot,
  renderCatalogModule,
} from './pg-catalog-source.js';

async function main(): Promise<void> {
  const server = await startTestPostgres();
  try {
    const client = new pg.Client({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      database: server.database,
    });
    await client.connect();
    try {
      const snapshot = await readCatalogSnapshot(client);
      const path = join(import.meta.dirname, '..', CATALOG_MODULE_PATH);
      writeFileSync(path, renderCatalogModule(snapshot));
      const kept = snapshot.functions.filter((f) => f.nonVolatile).length;
      process.stdout.write(
        `wrote ${CATALOG_MODULE_PATH}: ${kept} of ${snapshot.functions.length} names (PostgreSQL ${snapshot.majorVersion})\n`,
      );
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
  }
}

await main();
