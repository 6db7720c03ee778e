import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OperationEntry } from '../graphql/graphql-catalog.js';
import { RAILWAY_CATALOG } from './railway-catalog.js';

// The shared snapshot is the source of truth while it is there; the copy in the repo keeps the
// test running on a checkout without it.
const SHARED = join(import.meta.dirname, '../../../../shared/upstreams/railway/schema.json');
const COPY = join(import.meta.dirname, '../../../test/upstreams/railway/schema.json');

interface TypeRef {
  readonly kind: string;
  readonly name: string | null;
  readonly ofType: TypeRef | null;
}
interface InputValue {
  readonly name: string;
  readonly type: TypeRef;
}
interface SchemaType {
  readonly name: string;
  readonly kind: string;
  readonly fields: readonly (InputValue & { readonly args: readonly InputValue[] })[] | null;
  readonly inputFields: readonly InputValue[] | null;
}
interface Schema {
  readonly queryType: { readonly name: string };
  readonly mutationType: { readonly name: string };
  readonly subscriptionType: { readonly name: string } | null;
  readonly types: readonly SchemaType[];
}

const schema = (
  JSON.parse(readFileSync(existsSync(SHARED) ? SHARED : COPY, 'utf8')) as {
    data: { __schema: Schema };
  }
).data.__schema;
const types = new Map(schema.types.map((type) => [type.name, type]));

type Root = 'query' | 'mutation' | 'subscription';
const ROOTS: readonly Root[] = ['query', 'mutation', 'subscription'];
// Railway's ids are strings; DNS record ids are the one Int.
const ID_TYPES = new Set(['ID', 'String', 'Int']);

function rootFields(root: Root): NonNullable<SchemaType['fields']> {
  const roots = {
    query: schema.queryType,
    mutation: schema.mutationType,
    subscription: schema.subscriptionType,
  };
  const name = roots[root]?.name;
  return (name === undefined ? undefined : types.get(name)?.fields) ?? [];
}

function namedType(ref: TypeRef): string {
  return ref.ofType === null ? (ref.name ?? '') : namedType(ref.ofType);
}

function isList(ref: TypeRef): boolean {
  if (ref.kind === 'LIST') return true;
  return ref.kind === 'NON_NULL' && ref.ofType !== null && isList(ref.ofType);
}

/** The argument or input field a dot path names, or undefined when the schema lacks it. */
function resolvePath(args: readonly InputValue[], path: string): InputValue | undefined {
  const [head, ...rest] = path.split('.');
  const value = args.find((arg) => arg.name === head);
  if (value === undefined || rest.length === 0) return value;
  const input = types.get(namedType(value.type));
  if (input?.kind !== 'INPUT_OBJECT' || isList(value.type)) return undefined;
  return resolvePath(input.inputFields ?? [], rest.join('.'));
}

function entry(root: Root, name: string): OperationEntry | undefined {
  return RAILWAY_CATALOG[root][name];
}

describe('RAILWAY_CATALOG', () => {
  it('classifies every root field of the schema and nothing else', () => {
    expect(rootFields('mutation').length).toBeGreaterThanOrEqual(230);
    for (const root of ROOTS) {
      const inSchema = rootFields(root)
        .map((field) => field.name)
        .sort();
      expect(Object.keys(RAILWAY_CATALOG[root]).sort(), root).toEqual(inSchema);
    }
  });

  it('points every target at an id-typed argument that exists, with `many` on lists', () => {
    const problems: string[] = [];
    for (const root of ROOTS) {
      for (const field of rootFields(root)) {
        for (const target of entry(root, field.name)?.targets ?? []) {
          const where = `${root}.${field.name}(${target.arg})`;
          const arg = resolvePath(field.args, target.arg);
          if (arg === undefined) problems.push(`${where}: no such argument`);
          else if (!ID_TYPES.has(namedType(arg.type))) problems.push(`${where}: not an id`);
          else if (isList(arg.type) !== (target.many === true)) problems.push(`${where}: many`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('treats queries and subscriptions as reads', () => {
    for (const root of ['query', 'subscription'] as const) {
      const notRead = Object.entries(RAILWAY_CATALOG[root]).filter(([, e]) => e.effect !== 'read');
      expect(
        notRead.map(([name]) => name),
        root,
      ).toEqual([]);
    }
  });

  it('never marks a destructive operation reversible without saying why', () => {
    const entries = Object.entries(RAILWAY_CATALOG.mutation);
    const bad = entries.filter(
      ([, e]) => e.effect === 'destructive' && e.reversible && e.note === undefined,
    );
    expect(bad.map(([name]) => name)).toEqual([]);
    const lossy = entries.filter(([, e]) => e.effect !== 'destructive' && !e.reversible);
    expect(lossy.map(([name]) => name)).toEqual([]);
  });

  it('explains every mutation named like a deletion that is not destructive', () => {
    const named =
      /Delete|Remove|Destroy|Reset|Rollback|Revert|Leave|Clear|Disconnect|Restore|Transfer/;
    const unexplained = Object.entries(RAILWAY_CATALOG.mutation).filter(
      ([name, e]) => named.test(name) && e.effect !== 'destructive' && e.note === undefined,
    );
    expect(unexplained.map(([name]) => name)).toEqual([]);
  });

  it('holds the operations of the incident and their kin as destructive and irreversible', () => {
    const critical = [
      'volumeDelete',
      'projectDelete',
      'environmentDelete',
      'serviceDelete',
      'volumeInstanceBackupDelete',
      'environmentPatchCommit',
      'variableDelete',
    ];
    for (const name of critical) {
      expect(entry('mutation', name), name).toMatchObject({
        effect: 'destructive',
        reversible: false,
      });
    }
    expect(entry('mutation', 'volumeDelete')?.targets).toEqual([
      { arg: 'volumeId', type: 'volume' },
    ]);
    expect(entry('mutation', 'serviceDelete')?.targets).toEqual([
      { arg: 'id', type: 'service' },
      { arg: 'environmentId', type: 'environment' },
    ]);
  });

  it('classifies everyday writes and reads as such', () => {
    for (const name of ['deploymentRestart', 'customDomainCreate', 'variableUpsert']) {
      expect(entry('mutation', name)?.effect, name).toBe('write');
    }
    for (const name of ['project', 'me', 'volumeInstance', 'templateSearch']) {
      expect(entry('query', name)?.effect, name).toBe('read');
    }
  });
});
