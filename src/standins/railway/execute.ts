import { randomBytes } from 'node:crypto';
import type {
  DocumentNode,
  GraphQLFieldResolver,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import { GraphQLError, execute, getOperationAST, parse, validate } from 'graphql';
import type { RailwayErrorV1 } from './errors.js';
import { notImplemented, toRailwayError } from './errors.js';
import { MUTATION_RESOLVERS } from './mutations.js';
import type { ResolverContext, RootResolver } from './queries.js';
import { QUERY_RESOLVERS } from './queries.js';

/** One GraphQL request as it arrives over HTTP, before any checking. */
export interface GraphQLRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** The answer to one request: the HTTP status Railway would use and the JSON body. */
export interface GraphQLAnswer {
  status: number;
  body: { data?: unknown; errors?: RailwayErrorV1[] };
  /** Whether a mutation ran, so the caller knows to persist the state. */
  mutated: boolean;
}

/**
 * Runs one request against Railway's schema with Railway's HTTP conventions (Apollo Server's):
 * a request that cannot run (parse, validation, variables, GET mutation) is a 4xx without `data`;
 * once it runs, the status is 200 and field errors ride beside `data`, "Not Authorized" included.
 */
export function executeRailwayRequest(
  schema: GraphQLSchema,
  request: GraphQLRequest,
  ctx: ResolverContext,
  method: 'GET' | 'POST',
): GraphQLAnswer {
  const { query, variables, operationName } = request;
  if (typeof query !== 'string' || query.trim() === '') {
    return refuse(
      400,
      'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.',
      'BAD_REQUEST',
    );
  }
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return refuse(400, '`variables` in a POST body should be an object.', 'BAD_REQUEST');
  }
  if (operationName != null && typeof operationName !== 'string') {
    return refuse(
      400,
      '`operationName` in a POST body must be a string if provided.',
      'BAD_REQUEST',
    );
  }
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return refuseAll(400, [error as GraphQLError], 'GRAPHQL_PARSE_FAILED');
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return refuseAll(400, invalid, 'GRAPHQL_VALIDATION_FAILED');

  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation == null) {
    const message =
      typeof operationName === 'string'
        ? `Unknown operation named "${operationName}".`
        : 'Must provide operation name if query contains multiple operations.';
    return refuse(400, message, 'OPERATION_RESOLUTION_FAILURE');
  }
  // SECURITY: GET must never change state (a link or prefetch could trigger it).
  if (method === 'GET' && operation.operation !== 'query') {
    return refuse(405, 'GET requests only support query operations', 'BAD_REQUEST');
  }
  if (operation.operation === 'subscription') {
    return refuse(400, 'Subscriptions are not supported by the stand-in over HTTP', 'BAD_REQUEST');
  }
  return run(schema, document, operation, ctx, request);
}

function run(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  ctx: ResolverContext,
  request: GraphQLRequest,
): GraphQLAnswer {
  const mutated = operation.operation === 'mutation';
  const roots = mutated ? MUTATION_RESOLVERS : QUERY_RESOLVERS;
  const result = execute({
    schema,
    document,
    rootValue: roots,
    contextValue: ctx,
    variableValues: (request.variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
    fieldResolver: standinFieldResolver,
  });
  // INVARIANT: every resolver is synchronous, so execute never returns a promise here.
  if (result instanceof Promise)
    throw new Error('railway stand-in: unexpected asynchronous execution');
  if (result.data === undefined) {
    // No data means execution never started: the variables did not match the schema.
    return { ...refuseAll(400, result.errors ?? [], 'BAD_USER_INPUT'), mutated: false };
  }
  const body: GraphQLAnswer['body'] = {};
  if (result.errors !== undefined)
    body.errors = result.errors.map((e) => toRailwayError(e, 'INTERNAL_SERVER_ERROR', traceId()));
  body.data = result.data;
  return { status: 200, body, mutated };
}

/**
 * Root fields come from the resolver tables; nested fields from the views. A field of Railway's
 * schema that neither models is answered with a "not implemented in the stand-in" field error.
 */
const standinFieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (
  source,
  args,
  ctx,
  info,
) => {
  const atRoot = info.path.prev === undefined;
  if (typeof source === 'object' && source !== null && Object.hasOwn(source, info.fieldName)) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    if (atRoot) return (value as RootResolver)(args, ctx);
    return typeof value === 'function' ? (value as (a: unknown) => unknown)(args) : value;
  }
  throw notImplemented(info.parentType.name, info.fieldName);
};

function refuse(status: number, message: string, code: string): GraphQLAnswer {
  return refuseAll(status, [new GraphQLError(message)], code);
}

function refuseAll(status: number, errors: readonly GraphQLError[], code: string): GraphQLAnswer {
  // Railway omits `data` entirely when the request never ran.
  return {
    status,
    body: { errors: errors.map((e) => toRailwayError(e, code, traceId())) },
    mutated: false,
  };
}

/** Railway tags each error with a numeric trace id sent as a string. */
function traceId(): string {
  return BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()).toString();
}
