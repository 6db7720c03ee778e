/**
 * Generated policy sets for the engine's property tests and benchmark: many valid policies over
 * a small vocabulary of agents, upstreams and targets, so that random requests often match.
 */

/** Agents, upstreams and targets the generated policies (and the requests tested) name. */
export const GENERATED_VOCABULARY = {
  agents: ['agent-0', 'agent-1', 'agent-2', 'agent-3', 'agent-4'],
  owners: ['alice', 'bob'],
  grants: ['grant_0', 'grant_1'],
  upstreams: ['railway', 'postgres', 'github'],
  targetTypes: ['volume', 'service'],
  targetIds: ['v0', 'v1', 'v2'],
  environments: ['staging', 'production'],
  effects: ['read', 'write', 'execute', 'destructive', 'unknown'],
  operations: ['volumeDelete', 'DROP TABLE'],
} as const;

const V = GENERATED_VOCABULARY;

const ACTIONS = [
  'action',
  ...V.effects.map((e) => `action == Airlock::Action::"${e}"`),
  'action in [Airlock::Action::"destructive", Airlock::Action::"unknown"]',
];

const RESOURCES = [
  'resource',
  ...V.upstreams.map((u) => `resource in Airlock::Upstream::"${u}"`),
  `resource is Airlock::Target in Airlock::Upstream::"${V.upstreams[0]}"`,
  ...V.targetIds.map((id) => `resource == Airlock::Target::"${V.targetTypes[0]}:${id}"`),
];

/** Conditions covering every request input, bare variables, entity literals and a runtime error. */
const CONDITIONS = [
  'resource.production',
  '!resource.production',
  'resource.environmentKnown',
  'resource.environment == "staging"',
  'resource.type == "service"',
  'resource.id like "v1*"',
  'context.approvals >= 1',
  'context.approvals >= 2',
  'context.reversible',
  'context.operation == "DROP TABLE"',
  'context.surface == "sql"',
  'context.upstream == "github"',
  'principal.owner == "alice"',
  'principal.grant == "grant_1"',
  'principal.name == "agent-2"',
  'resource in Airlock::Upstream::"postgres"',
  'principal == Airlock::Agent::"agent-1"',
  // An action literal; inside if-then-else so that no scope lets the validator fold it away.
  'if context.reversible then action == Airlock::Action::"write" else context.approvals >= 1',
  // Errors (the entity does not exist) unless the principal is agent-3.
  'Airlock::Agent::"agent-3".owner == "bob"',
  // Overflows, an evaluation error, whenever there is an approval.
  'context.approvals * 9223372036854775807 >= 0',
];

/** The choices that make one generated policy; each number indexes a table, modulo its size. */
export interface PolicyChoice {
  readonly forbid: boolean;
  readonly principal: number;
  readonly action: number;
  readonly resource: number;
  /** Each condition is a `when` clause; a negative number makes an `unless` clause. */
  readonly conditions: readonly number[];
}

/**
 * The Cedar text of one generated policy with id `gen-INDEX`. Principal choice 0 is any agent;
 * choice k names `agent-(k-1)`, among `agentCount` agents.
 */
export function toGeneratedPolicy(
  choice: PolicyChoice,
  index: number,
  agentCount: number = V.agents.length,
): string {
  const pick = (table: readonly string[], n: number): string =>
    table[Math.abs(n) % table.length] ?? '';
  const agent = Math.abs(choice.principal) % (agentCount + 1);
  const principal = agent === 0 ? 'principal' : `principal == Airlock::Agent::"agent-${agent - 1}"`;
  const clauses = choice.conditions.map(
    (n) => `${n < 0 ? 'unless' : 'when'} { ${pick(CONDITIONS, n)} }`,
  );
  const scope = [principal, pick(ACTIONS, choice.action), pick(RESOURCES, choice.resource)];
  const head = `${choice.forbid ? 'forbid' : 'permit'} (${scope.join(', ')})`;
  const reason = index % 3 === 0 ? '' : ` @reason("generated policy ${index}")`;
  return `@id("gen-${index}")${reason}\n${[head, ...clauses].join(' ')};\n`;
}

/**
 * A deterministic set of `count` generated policies as one file's text. Most permit and name one
 * of `agentCount` agents, as real sets do; a few forbid.
 */
export function generatePolicyText(
  count: number,
  seed = 1,
  agentCount: number = V.agents.length,
): string {
  const next = mulberry32(seed);
  const int = (max: number): number => Math.floor(next() * max);
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const conditions = Array.from({ length: int(3) }, () => {
      const condition = int(CONDITIONS.length);
      return int(4) === 0 ? -condition : condition;
    });
    const choice: PolicyChoice = {
      forbid: int(8) === 0,
      principal: int(agentCount + 1),
      action: int(ACTIONS.length),
      resource: int(RESOURCES.length),
      conditions,
    };
    texts.push(toGeneratedPolicy(choice, i, agentCount));
  }
  return texts.join('\n');
}

// A small seeded generator: the same seed always gives the same set.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
