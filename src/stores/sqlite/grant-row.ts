import type { Effect, Grant } from '../../core/index.js';
import { isEffect } from '../../core/index.js';
import { MalformedColumnError, RowReader, malformedRowError } from './row-reader.js';

/** The bind parameters of one `grants` row; list fields travel as JSON text. */
export interface GrantRowParams {
  readonly id: string;
  readonly token_hash: string;
  readonly agent: string;
  readonly owner: string;
  readonly upstreams: string;
  readonly environments: string;
  readonly effects: string;
  readonly resources: string;
  readonly created_at: number;
  readonly expires_at: number;
  readonly parent_id: string | null;
  readonly revoked_at: number | null;
  readonly frozen_at: number | null;
}

/** Converts a grant and its token hash to the parameters of an insert. */
export function toGrantRowParams(grant: Grant, tokenHash: string): GrantRowParams {
  return {
    id: grant.id,
    token_hash: tokenHash,
    agent: grant.agent,
    owner: grant.owner,
    upstreams: JSON.stringify(grant.upstreams),
    environments: JSON.stringify(grant.environments),
    effects: JSON.stringify(grant.effects),
    resources: JSON.stringify(grant.resources),
    created_at: grant.createdAt,
    expires_at: grant.expiresAt,
    parent_id: grant.parentId ?? null,
    revoked_at: grant.revokedAt ?? null,
    frozen_at: grant.frozenAt ?? null,
  };
}

/**
 * Checks a row read from `grants` and builds the grant. A row edited by hand into the wrong
 * shape is refused with `store.unavailable` naming the grant and column, rather than handed on.
 */
export function parseGrantRow(row: unknown): Grant {
  const fields = new RowReader(row);
  try {
    return buildGrant(fields);
  } catch (error) {
    if (!(error instanceof MalformedColumnError)) throw error;
    const id = fields.raw('id');
    throw malformedRowError(typeof id === 'string' ? `grant \`${id}\`` : 'a grant', error);
  }
}

/** Checks the token hash column of a `grants` row. */
export function parseTokenHash(row: unknown): string {
  const fields = new RowReader(row);
  try {
    return fields.text('token_hash');
  } catch (error) {
    if (!(error instanceof MalformedColumnError)) throw error;
    throw malformedRowError('a grant', error);
  }
}

function buildGrant(fields: RowReader): Grant {
  const parentId = fields.optionalText('parent_id');
  const revokedAt = fields.optionalNumber('revoked_at');
  const frozenAt = fields.optionalNumber('frozen_at');
  // Optional fields are left out rather than set to undefined (exactOptionalPropertyTypes).
  return {
    id: fields.text('id'),
    agent: fields.text('agent'),
    owner: fields.text('owner'),
    upstreams: fields.textList('upstreams'),
    environments: fields.textList('environments'),
    effects: fields.textList('effects').map(toEffect),
    resources: fields.textList('resources'),
    createdAt: fields.number('created_at'),
    expiresAt: fields.number('expires_at'),
    ...(parentId === undefined ? {} : { parentId }),
    ...(revokedAt === undefined ? {} : { revokedAt }),
    ...(frozenAt === undefined ? {} : { frozenAt }),
  };
}

function toEffect(value: string): Effect {
  if (!isEffect(value)) throw new MalformedColumnError('effects holds an unknown effect');
  return value;
}
