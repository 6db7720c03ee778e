import type { Dispatcher } from 'undici';
import { request } from 'undici';
import { z } from 'zod';
import type { GraphqlUpstream } from './config.js';
import { toCredentialHeader } from './config.js';
import type { Placement, Topology } from './resolver.js';

// Railway has no `volume(id)` query, so Airlock reads the whole topology it can see in one
// request: projects, their environments, and every service and volume with its instances.
const TOPOLOGY_QUERY = `query AirlockTopology {
  projects {
    pageInfo { hasNextPage }
    edges { node {
      id primaryEnvironmentId
      environments { pageInfo { hasNextPage } edges { node { id name } } }
      services { pageInfo { hasNextPage } edges { node { id
        serviceInstances { pageInfo { hasNextPage } edges { node { id environmentId } } } } } }
      volumes { pageInfo { hasNextPage } edges { node { id
        volumeInstances { pageInfo { hasNextPage } edges { node { id environmentId } } } } } }
    } }
  }
}`;

const page = <T extends z.ZodType>(node: T) =>
  z.object({
    pageInfo: z.object({ hasNextPage: z.boolean() }),
    edges: z.array(z.object({ node })),
  });
const instance = z.object({ id: z.string(), environmentId: z.string() });
const answerSchema = z.object({
  data: z.object({
    projects: page(
      z.object({
        id: z.string(),
        primaryEnvironmentId: z.string().nullable(),
        environments: page(z.object({ id: z.string(), name: z.string() })),
        services: page(z.object({ id: z.string(), serviceInstances: page(instance) })),
        volumes: page(z.object({ id: z.string(), volumeInstances: page(instance) })),
      }),
    ),
  }),
});
type Projects = z.infer<typeof answerSchema>['data']['projects'];
type Project = Projects['edges'][number]['node'];

/** Asks a Railway upstream, with Airlock's credential, where everything lives. Throws on any failure. */
export async function fetchRailwayTopology(
  upstream: GraphqlUpstream,
  options: { readonly timeoutMs: number; readonly dispatcher: Dispatcher },
): Promise<Topology> {
  const [name, value] = toCredentialHeader(upstream);
  const response = await request(upstream.url, {
    method: 'POST',
    dispatcher: options.dispatcher,
    headers: { 'content-type': 'application/json', 'accept-encoding': 'identity', [name]: value },
    body: JSON.stringify({ query: TOPOLOGY_QUERY }),
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200)
    throw new Error(`topology query answered HTTP ${response.statusCode}`);
  const json = JSON.parse(text) as { errors?: unknown };
  // Railway answers refusals with HTTP 200 and `errors`; a partial answer is no answer.
  if (json.errors !== undefined) throw new Error('topology query answered with errors');
  return toTopology(answerSchema.parse(json).data.projects);
}

/** Indexes a topology answer by resource key; refuses an answer that was cut by paging. */
export function toTopology(projects: Projects): Topology {
  const nodes = projects.edges.map((edge) => edge.node);
  // SECURITY: an instance on a page not read could be the production one; refuse, do not guess.
  if (projects.pageInfo.hasNextPage || nodes.some(isTruncated))
    throw new Error('topology answer is paged');
  const topology = new Map<string, Placement[]>();
  for (const project of nodes) addProject(topology, project);
  return topology;
}

function addProject(topology: Map<string, Placement[]>, project: Project): void {
  const placementOf = new Map<string, Placement>();
  for (const { node } of project.environments.edges) {
    const placement = { environment: node.name, primary: node.id === project.primaryEnvironmentId };
    placementOf.set(node.id, placement);
    topology.set(`environment:${node.id}`, [placement]);
  }
  const all = [...placementOf.values()];
  topology.set(`project:${project.id}`, all);
  const place = (environmentIds: readonly string[]): Placement[] =>
    environmentIds.flatMap((id) => placementOf.get(id) ?? []);
  const things = [
    ...project.services.edges.map(({ node }) => ({
      kind: 'service',
      id: node.id,
      instances: node.serviceInstances,
    })),
    ...project.volumes.edges.map(({ node }) => ({
      kind: 'volume',
      id: node.id,
      instances: node.volumeInstances,
    })),
  ];
  for (const thing of things) {
    const instances = thing.instances.edges.map((edge) => edge.node);
    for (const one of instances)
      topology.set(`${thing.kind}Instance:${one.id}`, place([one.environmentId]));
    // A thing with no instance yet belongs to the project as a whole: every environment.
    const placed = place(instances.map((one) => one.environmentId));
    topology.set(`${thing.kind}:${thing.id}`, placed.length > 0 ? placed : all);
  }
}

function isTruncated(project: Project): boolean {
  const pages = [project.environments, project.services, project.volumes];
  const inner = [
    ...project.services.edges.map((edge) => edge.node.serviceInstances),
    ...project.volumes.edges.map((edge) => edge.node.volumeInstances),
  ];
  return [...pages, ...inner].some((connection) => connection.pageInfo.hasNextPage);
}
