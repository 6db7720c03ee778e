import type { Effect, Grant } from '../../core/index.js';
import { FirewallError, isEffect } from '../../core/index.js';
import { MalformedColumnError, RowReader } from './row-reader.js';

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
  try {
    return buildGrant(new RowReader(row));
  } catch (error) {
    if (!(error instanceof MalformedColumnError)) throw error;
    const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
    const which = typeof id === 'string' ? `grant \`${id}\`` : 'a grant';
    throw new FirewallError('store.unavailable', `${which} in the store is malformed: ${error.message}`, {
      cause: error,
    });
  }
}

/** Checks the token hash column of a `grants` row. */
export function parseTokenHash(row: unknown): string {
  try {
    return new RowReader(row).text('token_hash');
  } catch (error) {
    throw new FirewallError('store.unavailable', 'a grant in the store has a malformed token hash', {
      cause: error,
    });
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
  if (!isEffect(value)) throw new MalformedColumnError('effects holds something that is not an effect');
  return value;
}
