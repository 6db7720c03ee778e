import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { BUILTIN_CATALOG_DATA, BUILTIN_CATALOGS } from './builtin-catalogs.js';
import { parseHttpCatalog } from './catalog-schema.js';

const PLATFORMS = [
  'aws',
  'stripe',
  'github',
  'vercel',
  'fly',
  'supabase',
  'supabase-project',
  'neon',
  'render',
];

describe('shipped REST catalogs', () => {
  it.each(Object.entries(BUILTIN_CATALOG_DATA))('%s passes the catalog schema', (_file, data) => {
    verifies('http.catalogs-validated');
    const parsed = parseHttpCatalog(data);
    expect(parsed.ok ? [] : parsed.error).toEqual([]);
  });

  it('covers every platform the issue names, each with destructive entries', () => {
    const byPlatform = new Map(BUILTIN_CATALOGS.map((catalog) => [catalog.platform, catalog]));
    for (const platform of PLATFORMS) {
      const catalog = byPlatform.get(platform);
      expect(catalog, platform).toBeDefined();
      const entries = [
        ...(catalog?.endpoints ?? []),
        ...Object.values(catalog?.aws ?? {}).flatMap((s) => [
          ...s.endpoints,
          ...Object.values(s.operations),
        ]),
      ];
      expect(
        entries.some((entry) => entry.effect === 'destructive'),
        platform,
      ).toBe(true);
    }
  });

  it('names no two shipped catalogs for the same host pattern', () => {
    const hosts = BUILTIN_CATALOGS.flatMap((catalog) => catalog.hosts);
    expect(new Set(hosts).size).toBe(hosts.length);
  });
});

describe('parseHttpCatalog', () => {
  it('refuses a catalog with mistakes, naming each field', () => {
    verifies('http.catalogs-validated');
    const parsed = parseHttpCatalog({
      version: 1,
      platform: 'acme',
      title: 'Acme',
      hosts: ['api.acme.test'],
      endpoints: [
        {
          method: 'DELETE',
          path: '/things/{id}',
          operation: 'things.delete',
          effect: 'destroy',
          reversible: false,
        },
        {
          method: 'GET',
          path: 'things',
          operation: 'things.list',
          effect: 'read',
          reversible: true,
        },
        {
          method: 'PATCH',
          path: '/things/{id}',
          operation: 'things.update',
          effect: 'write',
          reversible: true,
          tagets: [],
        },
      ],
    });
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.error;
    expect(problems.some((p) => p.startsWith('endpoints.0.effect'))).toBe(true);
    expect(problems.some((p) => p.startsWith('endpoints.1.path'))).toBe(true);
    expect(problems.some((p) => p.startsWith('endpoints.2') && p.includes('tagets'))).toBe(true);
  });

  it('refuses a target or rule naming a parameter its path does not have, and a rest parameter not last', () => {
    const parsed = parseHttpCatalog({
      version: 1,
      platform: 'acme',
      title: 'Acme',
      endpoints: [
        {
          method: 'DELETE',
          path: '/things/{id}',
          operation: 'd',
          effect: 'destructive',
          reversible: false,
          targets: [{ type: 'thing', id: '{thing}' }],
        },
        {
          method: 'GET',
          path: '/files/{path+}/raw',
          operation: 'r',
          effect: 'read',
          reversible: true,
        },
      ],
    });
    expect(parsed.ok ? [] : parsed.error).toEqual([
      'endpoints.0: `thing` is not a parameter of `/things/{id}`',
      'endpoints.1.path: `{path+}` must be the last segment',
    ]);
  });
});
