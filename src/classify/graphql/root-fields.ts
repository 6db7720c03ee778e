import { Kind } from 'graphql';
import type {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import type { Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';
import type { VariableLookup } from './argument-values.js';
import type { RequestProblem } from './graphql-request.js';
import { problem } from './graphql-request.js';

/**
 * Picks the operation a server would run, as graphql-js does: by `operationName`, or the only
 * one when none is named. Anything else is refused rather than guessed.
 */
export function selectOperation(
  document: DocumentNode,
  operationName: string | undefined,
): Result<OperationDefinitionNode, RequestProblem> {
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
    else if (definition.kind !== Kind.FRAGMENT_DEFINITION) {
      return err(
        problem('invalid-request', 'the document holds definitions that are not executable'),
      );
    }
  }
  if (operationName === undefined) {
    const [only, ...others] = operations;
    if (only === undefined)
      return err(problem('invalid-request', 'the document holds no operation'));
    if (others.length > 0)
      return err(problem('ambiguous-request', 'several operations and no operation name'));
    return ok(only);
  }
  const named = operations.filter((operation) => operation.name?.value === operationName);
  // SECURITY: with two operations of one name, servers may run the first or the last.
  if (named.length > 1)
    return err(problem('ambiguous-request', `several operations are named \`${operationName}\``));
  const [selected] = named;
  if (selected === undefined)
    return err(problem('invalid-request', `no operation is named \`${operationName}\``));
  return ok(selected);
}

/**
 * Every root field the operation would execute, seen through aliases, named and inline
 * fragments and `@skip`/`@include`. A field is left out only when it is certainly skipped.
 */
export function collectRootFields(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  lookup: VariableLookup,
): Result<FieldNode[], RequestProblem> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const name = definition.name.value;
    // SECURITY: graphql-js keeps the last of two same-named fragments; another server the first.
    if (fragments.has(name))
      return err(problem('ambiguous-request', `several fragments are named \`${name}\``));
    fragments.set(name, definition);
  }
  const fields: FieldNode[] = [];
  // INVARIANT: each fragment is entered once; its fields do not depend on where it is spread,
  // so this both stops spread cycles and keeps fragment fan-out (`...A ...A` nested) linear.
  const entered = new Set<string>();
  const missing: string[] = [];
  const walk = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (isCertainlySkipped(selection.directives ?? [], lookup)) continue;
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else {
        const name = selection.name.value;
        if (entered.has(name)) continue;
        entered.add(name);
        const fragment = fragments.get(name);
        if (fragment === undefined) missing.push(name);
        else walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  if (missing.length > 0)
    return err(problem('invalid-request', `fragment \`${missing.join('`, `')}\` is not defined`));
  return ok(fields);
}

// SECURITY: uncertainty means the field runs. Skipped only when every @skip certainly says
// true, or every @include certainly says false; an unknown variable or a bad value runs.
// Type conditions of fragments are not checked: a field under a foreign type still counts.
function isCertainlySkipped(directives: readonly DirectiveNode[], lookup: VariableLookup): boolean {
  const skips = directives
    .filter((directive) => directive.name.value === 'skip')
    .map((d) => condition(d, lookup));
  const includes = directives
    .filter((directive) => directive.name.value === 'include')
    .map((d) => condition(d, lookup));
  const skipped = skips.length > 0 && skips.every((value) => value === true);
  const excluded = includes.length > 0 && includes.every((value) => value === false);
  return skipped || excluded;
}

function condition(directive: DirectiveNode, lookup: VariableLookup): boolean | undefined {
  const args = (directive.arguments ?? []).filter((arg) => arg.name.value === 'if');
  const [arg, ...others] = args;
  if (arg === undefined || others.length > 0) return undefined;
  if (arg.value.kind === Kind.BOOLEAN) return arg.value.value;
  if (arg.value.kind !== Kind.VARIABLE) return undefined;
  const value = lookup(arg.value.name.value);
  return typeof value === 'boolean' ? value : undefined;
}
