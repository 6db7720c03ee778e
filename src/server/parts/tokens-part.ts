import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBoundedBody } from '../../adapters/shared/index.js';
import {
  DERIVE_TOKEN_PATH,
  MAX_DERIVE_BODY_BYTES,
  describeIssues,
  deriveTokenRequestV1,
} from '../../api/index.js';
import type { FirewallErrorCode } from '../../core/index.js';
import { isFirewallError } from '../../core/index.js';
import type { DeriveRequest } from '../../firewall/index.js';
import type { GatewayRoute } from '../gateway.js';
import { sendJson } from '../json-answer.js';
import type { ServePartFactory } from './serve-part.js';

// What each refusal answers: who holds no valid token learns nothing more than that.
const STATUS: Partial<Record<FirewallErrorCode, number>> = {
  'token.malformed': 401,
  'grant.not-found': 401,
  'grant.inactive': 403,
  'grant.exceeds-parent': 403,
  'input.invalid': 400,
};

/**
 * `POST /tokens/derive` on `airlock serve`: an agent narrows the token it holds for a sub-agent
 * (`airlock token derive --url …`). Authenticated by the parent token itself, so it needs neither
 * the admin socket nor the store: the only grant change the agent's side makes, and it can only
 * take away (GrantService.derive checks the child is within its parent).
 */
export const tokensServePart: ServePartFactory = async ({ grants }) => {
  const route: GatewayRoute = {
    prefix: DERIVE_TOKEN_PATH,
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
      if (url.pathname !== DERIVE_TOKEN_PATH)
        return send(res, 404, 'input.invalid', `no route \`${url.pathname}\``);
      if (req.method !== 'POST') return send(res, 405, 'input.invalid', 'POST a derive request');
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token === undefined)
        return send(
          res,
          401,
          'token.malformed',
          'send the parent token as `Authorization: Bearer alk_…`',
        );
      const bytes = await readBoundedBody(req, MAX_DERIVE_BODY_BYTES);
      if (bytes === undefined)
        return send(
          res,
          400,
          'input.invalid',
          `the request is larger than ${MAX_DERIVE_BODY_BYTES} bytes`,
        );
      let json: unknown;
      try {
        json = JSON.parse(bytes.toString('utf8'));
      } catch {
        return send(res, 400, 'input.invalid', 'the body is not JSON');
      }
      const parsed = deriveTokenRequestV1.safeParse(json);
      if (!parsed.success)
        return send(
          res,
          400,
          'input.invalid',
          'invalid derive request',
          describeIssues(parsed.error),
        );
      try {
        // JSON has no undefined, so dropping absent fields loses nothing the agent sent.
        const request = Object.fromEntries(
          Object.entries(parsed.data).filter(([, value]) => value !== undefined),
        ) as unknown as DeriveRequest;
        const issued = await grants.derive(
          { token },
          request,
          `agent:${parsed.data.agent} (holding the parent token)`,
        );
        sendJson(res, 200, { token: issued.token, grant: issued.grant });
      } catch (error) {
        const status = isFirewallError(error) ? STATUS[error.code] : undefined;
        // SECURITY: an unexpected failure says nothing of its cause to the caller.
        if (status === undefined || !isFirewallError(error))
          return send(
            res,
            503,
            'store.unavailable',
            'Airlock could not derive the token; nothing was created',
          );
        send(
          res,
          status,
          error.code,
          status === 401 ? 'unknown or malformed token' : error.message,
          error.details,
        );
      }
    },
  };
  return { name: 'token derive', routes: () => [route] };
};

function send(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  details: readonly string[] = [],
): void {
  sendJson(res, status, { error: { code, message, details } });
}
