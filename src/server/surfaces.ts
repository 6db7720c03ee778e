import { graphqlSurface } from '../adapters/graphql/index.js';
import { hooksSurface } from '../adapters/hooks/index.js';
import { restSurface } from '../adapters/http/index.js';
import { mcpSurface } from '../adapters/mcp/index.js';
import { postgresSurface } from '../adapters/postgres/index.js';
import type {
  RunningSurface,
  Surface,
  SurfaceDeps,
  SurfaceSettings,
} from '../adapters/shared/index.js';
import type { Config, UpstreamKind, UpstreamOf } from '../config/index.js';
import { upstreamSections } from '../config/index.js';
import { FirewallError } from '../core/index.js';

/** A surface as `airlock serve` runs it: validated against the whole config, then started. */
export interface ServedSurface {
  readonly name: string;
  /** The surface ready to start, or undefined when the config has nothing for it; throws `config.invalid` listing every problem. */
  validate(config: Config, settings: SurfaceSettings): Promise<ValidatedSurface | undefined>;
}

/** A surface whose options are valid and whose secrets are read. */
export interface ValidatedSurface {
  readonly name: string;
  start(deps: SurfaceDeps): Promise<RunningSurface>;
}

// INVARIANT: the one list of the surfaces `airlock serve` runs. Adding a surface is a folder under
// `adapters/` that implements `Surface` (its `config.ts` and `surface.ts`) and one line here.
/** Every surface of `airlock serve`, in the order they start. */
export const SURFACES: readonly ServedSurface[] = [
  upstreamSurface('graphql', graphqlSurface),
  upstreamSurface('http', restSurface),
  upstreamSurface('mcp', mcpSurface),
  upstreamSurface('postgres', postgresSurface),
  alwaysServed(hooksSurface),
];

/** A surface serving the config's upstreams of one kind (`upstreams.NAME.kind`). */
function upstreamSurface<K extends UpstreamKind, Options>(
  kind: K,
  surface: Surface<UpstreamOf<K>, Options>,
): ServedSurface {
  return served(surface, (config) => upstreamSections(config, kind));
}

/** A surface with no config section of its own (the agent hooks), served whatever the config. */
function alwaysServed<Options>(surface: Surface<never, Options>): ServedSurface {
  return served(surface, () => ({}));
}

function served<Section, Options>(
  surface: Surface<Section, Options>,
  sectionsOf: (config: Config) => Readonly<Record<string, Section>>,
): ServedSurface {
  return {
    name: surface.name,
    async validate(config, settings) {
      const options = await surface.validate(sectionsOf(config), settings);
      if (!options.ok)
        throw new FirewallError('config.invalid', options.error.title, {
          details: options.error.problems,
        });
      const valid = options.value;
      return valid === undefined
        ? undefined
        : { name: surface.name, start: (deps) => surface.start(valid, deps) };
    },
  };
}
