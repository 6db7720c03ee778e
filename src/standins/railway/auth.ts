import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { notAuthorized } from './errors.js';
import type { ProjectTokenRecord } from './state.js';

/** Who is calling: an account (all projects), a project token (one project and environment), or nobody. */
export type RailwayCaller =
  | { kind: 'account' }
  | { kind: 'project'; projectId: string; environmentId: string; tokenId: string }
  | { kind: 'anonymous' };

/**
 * Reads Railway's two credential headers: `Project-Access-Token` for project tokens and
 * `Authorization: Bearer` for account and workspace tokens. An unknown token is anonymous, which
 * every resolver refuses with "Not Authorized", as Railway does.
 */
export function identifyCaller(
  headers: IncomingHttpHeaders,
  accountTokens: readonly string[],
  projectTokens: readonly ProjectTokenRecord[],
): RailwayCaller {
  const projectHeader = headers['project-access-token'];
  if (typeof projectHeader === 'string' && projectHeader !== '') {
    const record = projectTokens.find((t) => sameSecret(t.token, projectHeader));
    if (record === undefined) return { kind: 'anonymous' };
    return {
      kind: 'project',
      projectId: record.projectId,
      environmentId: record.environmentId,
      tokenId: record.id,
    };
  }
  const authorization = headers.authorization;
  const match =
    typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  const bearer = match?.[1];
  if (bearer !== undefined && accountTokens.some((t) => sameSecret(t, bearer)))
    return { kind: 'account' };
  return { kind: 'anonymous' };
}

/** Scope checks the resolvers call before touching anything; each throws "Not Authorized". */
export class RailwayAccess {
  constructor(readonly caller: RailwayCaller) {}

  /** Any valid credential; checked first so an anonymous caller learns nothing about ids. */
  assertAuthenticated(): void {
    if (this.caller.kind === 'anonymous') throw notAuthorized();
  }

  /** Account-only operations: `me`, listing projects, creating projects and tokens. */
  assertAccount(): void {
    if (this.caller.kind !== 'account') throw notAuthorized();
  }

  /** Anything inside a project: project tokens reach only their own. */
  assertProject(projectId: string): void {
    if (this.caller.kind === 'account') return;
    if (this.caller.kind === 'project' && this.caller.projectId === projectId) return;
    throw notAuthorized();
  }

  /** Anything inside one environment: project tokens reach only their own environment. */
  assertEnvironment(projectId: string, environmentId: string): void {
    this.assertProject(projectId);
    if (this.caller.kind === 'project' && this.caller.environmentId !== environmentId)
      throw notAuthorized();
  }

  /** Whether a listing may show this project. */
  canSeeProject(projectId: string): boolean {
    return (
      this.caller.kind === 'account' ||
      (this.caller.kind === 'project' && this.caller.projectId === projectId)
    );
  }
}

// SECURITY: compare digests in constant time so response timing does not leak token prefixes.
function sameSecret(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
