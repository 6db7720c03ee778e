import { GraphQLError } from 'graphql';

/**
 * Railway answers resolver failures (including "Not Authorized" and "not found") with Apollo's
 * default code, `INTERNAL_SERVER_ERROR`, on HTTP 200; the stand-in copies that, because clients
 * and the gateway must cope with Railway's real shapes, not tidier ones.
 */
const RESOLVER_ERROR_CODE = 'INTERNAL_SERVER_ERROR';

/** Thrown by the stand-in's world and resolvers; becomes one GraphQL error in Railway's shape. */
export class RailwayStandinError extends GraphQLError {
  constructor(message: string, code: string = RESOLVER_ERROR_CODE) {
    super(message, { extensions: { code } });
    this.name = 'RailwayStandinError';
  }
}

/** Railway's refusal for a missing, unknown or out-of-scope credential. */
export function notAuthorized(): RailwayStandinError {
  return new RailwayStandinError('Not Authorized');
}

/** Railway's answer for an id that names nothing, e.g. `Volume not found`. */
export function notFound(what: string): RailwayStandinError {
  return new RailwayStandinError(`${what} not found`);
}

/** Invalid arguments the schema cannot express, e.g. a service of another project. */
export function badInput(message: string): RailwayStandinError {
  return new RailwayStandinError(message, 'BAD_USER_INPUT');
}

/** A field of Railway's schema that the stand-in does not model; still a valid GraphQL answer. */
export function notImplemented(typeName: string, fieldName: string): RailwayStandinError {
  return new RailwayStandinError(
    `\`${typeName}.${fieldName}\` is not implemented in the stand-in`,
    'NOT_IMPLEMENTED',
  );
}

/** Wire shape of one error, as Railway sends it. */
export interface RailwayErrorV1 {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions: { code: string };
  traceId: string;
}

/**
 * Formats any error for the wire. A `RailwayStandinError` or a graphql-js error keeps its message;
 * SECURITY: anything else is a stand-in bug, answered with Railway's generic message so no stack
 * or internal detail leaves the process.
 */
export function toRailwayError(
  error: GraphQLError,
  fallbackCode: string,
  traceId: string,
): RailwayErrorV1 {
  const original = error.originalError;
  const internal =
    original !== undefined && original !== null && !(original instanceof GraphQLError);
  const ownCode = error.extensions['code'];
  const code = internal
    ? RESOLVER_ERROR_CODE
    : typeof ownCode === 'string'
      ? ownCode
      : fallbackCode;
  // Keys in Railway's order, so captured responses diff cleanly against the stand-in's.
  return {
    message: internal ? 'Problem processing request' : error.message,
    ...(error.locations === undefined ? {} : { locations: error.locations }),
    ...(error.path === undefined ? {} : { path: error.path }),
    extensions: { code },
    traceId,
  };
}
