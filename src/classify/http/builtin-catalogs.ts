import aws from './catalogs/aws.json' with { type: 'json' };
import elasticsearch from './catalogs/elasticsearch.json' with { type: 'json' };
import fly from './catalogs/fly.json' with { type: 'json' };
import github from './catalogs/github.json' with { type: 'json' };
import kubernetes from './catalogs/kubernetes.json' with { type: 'json' };
import neon from './catalogs/neon.json' with { type: 'json' };
import paasExample from './catalogs/paas-example.json' with { type: 'json' };
import railway from './catalogs/railway.json' with { type: 'json' };
import render from './catalogs/render.json' with { type: 'json' };
import stripe from './catalogs/stripe.json' with { type: 'json' };
import supabaseManagement from './catalogs/supabase-management.json' with { type: 'json' };
import supabaseProject from './catalogs/supabase-project.json' with { type: 'json' };
import vercel from './catalogs/vercel.json' with { type: 'json' };
import type { HttpCatalog } from './catalog-schema.js';
import { parseHttpCatalog } from './catalog-schema.js';

/** The shipped catalog files by file name, as data (validated below, and by a test). */
export const BUILTIN_CATALOG_DATA: Readonly<Record<string, unknown>> = {
  'aws.json': aws,
  'elasticsearch.json': elasticsearch,
  'fly.json': fly,
  'github.json': github,
  'kubernetes.json': kubernetes,
  'neon.json': neon,
  'paas-example.json': paasExample,
  'railway.json': railway,
  'render.json': render,
  'stripe.json': stripe,
  'supabase-management.json': supabaseManagement,
  'supabase-project.json': supabaseProject,
  'vercel.json': vercel,
};

/**
 * The shipped catalogs, validated at load. An invalid shipped catalog is a bug in Airlock: it
 * fails loudly at startup rather than classifying with half a catalog.
 */
export const BUILTIN_CATALOGS: readonly HttpCatalog[] = Object.entries(BUILTIN_CATALOG_DATA).map(
  ([file, data]) => {
    const parsed = parseHttpCatalog(data);
    if (!parsed.ok)
      throw new Error(`shipped catalog \`${file}\` is invalid: ${parsed.error.join('; ')}`);
    return parsed.value;
  },
);
