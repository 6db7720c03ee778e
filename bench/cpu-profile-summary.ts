/**
 * Reads a V8 CPU profile into CPU per statement: self time by part of Airlock (framing, shape
 * key, SQL parser, Cedar, SQLite audit, …) and inclusive time of the functions that matter.
 * WebAssembly and native frames have no file of ours: they count for the nearest caller that has.
 */

/** The parts of `Profiler.Profile` this reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    id: number;
    callFrame: { functionName: string; url: string };
    children?: number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

// First match wins; order from the most specific file to the broadest folder.
const PARTS: readonly [RegExp, string][] = [
  [/adapters\/postgres\/wire\.ts/, 'framing (wire.ts)'],
  [/classify\/sql\/literal-key\.ts/, 'shape key (literal-key.ts)'],
  [/classify\/sql\/statement-shape\.ts/, 'shape (sqlShape, normalizer)'],
  [/firewall\/decision-reuse\.ts/, 'decision reuse'],
  [/libpg-query/, 'SQL parser (libpg-query)'],
  [/classify\/sql\//, 'SQL classifier (JS walk)'],
  [/cedar-wasm|cedar-policy/, 'Cedar (wasm)'],
  [/src\/policy\//, 'policy adapter (JS)'],
  [/better-sqlite3|stores\/sqlite\//, 'SQLite audit/store'],
  [/firewall\/authenticate\.ts/, 'authenticate (grant lookup)'],
  [/src\/firewall\//, 'firewall (JS)'],
  [/src\/core\//, 'core (hash chain, digests, canonical JSON)'],
  [/adapters\/postgres\/session\/(gate|classified-text)\.ts/, 'statement gate'],
  [/adapters\/postgres\/session\//, 'session relay'],
  [/src\/adapters\//, 'adapter (other)'],
  [/\/bench\//, 'bench measuring pipes'],
  [/^node:inspector/, 'the profiler itself'],
  [/^node:/, 'node (net, streams, timers)'],
];
const SPECIAL = new Map([
  ['(garbage collector)', 'garbage collector'],
  ['(program)', 'native, unattributed (syscalls, libuv)'],
  ['(idle)', 'idle'],
]);

function partOf(url: string): string | undefined {
  return PARTS.find(([pattern]) => pattern.test(url))?.[1];
}

/** Self µs per part, and inclusive µs of functions whose names are asked for. */
export function summarizeProfile(
  profile: CpuProfile,
  inclusiveOf: readonly string[],
): { parts: Map<string, number>; inclusive: Map<string, number>; totalUs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) =>
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)),
  );
  const parts = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  const walk = (id: number, inherited: string, open: ReadonlySet<string>): void => {
    const node = byId.get(id);
    if (node === undefined) return;
    const { functionName, url } = node.callFrame;
    const part = SPECIAL.get(functionName) ?? partOf(url) ?? inherited;
    const self = selfUs.get(id) ?? 0;
    totalUs += self;
    parts.set(part, (parts.get(part) ?? 0) + self);
    // A recursive or re-entered function is counted once, at its outermost frame.
    const named = inclusiveOf.find(
      (name) => functionName === name || `${functionName} ${url}`.includes(name),
    );
    const opened = named !== undefined && !open.has(named) ? new Set([...open, named]) : open;
    for (const name of opened) inclusive.set(name, (inclusive.get(name) ?? 0) + self);
    for (const child of node.children ?? []) walk(child, part, opened);
  };
  walk(profile.nodes[0]?.id ?? 1, 'other', new Set());
  return { parts, inclusive, totalUs };
}

/** The functions with the most self time: `name (file:part)` and µs. */
export function topFunctions(profile: CpuProfile, count: number): [string, number][] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) return;
    const file = frame.url.split('/').slice(-2).join('/');
    const key = `${frame.functionName || '(anonymous)'} ${file}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, count);
}
