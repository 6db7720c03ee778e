import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHttpClassifier, parseHttpCatalog } from '../src/classify/index.js';
import { freshHome, runCli } from './run-cli.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'rest-openapi.yaml');

describe('airlock catalog import openapi', () => {
  it('drafts a catalog the schema accepts: DELETE destructive, GET read, the rest write, all for review', async () => {
    const home = freshHome();
    const out = join(home, 'widgets.json');
    const run = runCli(
      ['catalog', 'import', 'openapi', FIXTURE, '--out', out, '--platform', 'widgets'],
      { home },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/drafted 5 endpoints/);
    expect(run.stdout).toMatch(/skipped GET \/v2\/files\/\{name\}\.txt/);
    expect(run.stdout).toMatch(/skipped TRACE \/v2\/debug/);
    const parsed = parseHttpCatalog(JSON.parse(readFileSync(out, 'utf8')));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const catalog = parsed.value;
    expect(catalog.hosts).toEqual(['api.widgets.test']);
    expect(catalog.endpoints.map((e) => [e.method, e.path, e.effect, e.review])).toEqual([
      ['GET', '/v2/widgets', 'read', true],
      ['POST', '/v2/widgets', 'write', true],
      ['GET', '/v2/widgets/{widget_id}', 'read', true],
      ['PATCH', '/v2/widgets/{widget_id}', 'write', true],
      ['DELETE', '/v2/widgets/{widget_id}', 'destructive', true],
    ]);
    // The draft works as a catalog: a delete through it is destructive, on the named widget.
    const classify = createHttpClassifier({ catalogs: [catalog] });
    const {
      actions: [action],
    } = await classify({
      method: 'DELETE',
      path: '/v2/widgets/w1',
      headers: { Host: 'api.widgets.test' },
      body: null,
    });
    expect(action).toMatchObject({
      operation: 'deleteWidget',
      effect: 'destructive',
      targets: [{ type: 'widgets', id: 'w1' }],
    });
  });

  it('refuses a document that is not OpenAPI 3, and an existing --out without --force, changing nothing', () => {
    const home = freshHome();
    const bad = join(home, 'swagger.json');
    writeFileSync(bad, JSON.stringify({ swagger: '2.0', paths: {} }));
    const refused = runCli(['catalog', 'import', 'openapi', bad], { home });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/openapi/);
    const out = join(home, 'exists.json');
    writeFileSync(out, 'keep');
    const kept = runCli(['catalog', 'import', 'openapi', FIXTURE, '--out', out], { home });
    expect(kept.status).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('keep');
    expect(existsSync(join(home, 'nothing.json'))).toBe(false);
  });
});
