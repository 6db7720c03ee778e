import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { Approval, ApprovalActionV1 } from '../src/core/index.js';
import { approvalDetail, approvalLine } from '../src/cli/commands/approval-view.js';
import { toTerminalJson } from '../src/cli/terminal-text.js';
import { detailPage } from '../src/server/inbox/detail-page.js';
import { pendingListPage, toPendingItem } from '../src/server/inbox/pending-list.js';
import { delayedRequestSection } from '../src/server/inbox/request-view.js';
import { startGatewayOverRailway, plantedSecret } from './gateway-harness.js';
import { verifies } from './requirements.js';

const PRODUCTION = ['production'];
const VIEWER = { approver: 'carol', csrfToken: 'csrf-token' };
const RLO_ID = 'vol_prod_db\u202Egnigats';

function action(
  operation: string,
  id: string,
  environment: string | undefined,
  effect = 'destructive',
): ApprovalActionV1 {
  return {
    upstream: 'railway',
    operation,
    effect,
    reversible: effect !== 'destructive',
    targets: [{ type: 'volume', id, ...(environment === undefined ? {} : { environment }) }],
  };
}

function approval(actions: readonly ApprovalActionV1[], extra: Partial<Approval> = {}): Approval {
  return {
    id: 'apr_1',
    version: 1,
    requestDigest: 'd'.repeat(64),
    grantId: 'grt_1',
    agent: 'deploy-bot',
    owner: 'alice',
    surface: 'graphql',
    actions,
    needed: 1,
    approvals: [],
    denials: [],
    state: 'pending',
    createdAt: 0,
    expiresAt: 3_600_000,
    policyIds: ['needs-one'],
    reasons: ['destructive actions need approval'],
    ...extra,
  };
}

function detailHtml(held: Approval): string {
  return detailPage({
    approval: held,
    viewer: VIEWER,
    confirmTargets: [],
    timeline: [],
    productionEnvironments: PRODUCTION,
  }).toString();
}

function pendingHtml(held: readonly Approval[]): string {
  return pendingListPage(
    held.map((a) => toPendingItem(a, 'carol', PRODUCTION)),
    VIEWER,
  ).toString();
}

// The text a browser would show: tags dropped, entities of the escaped text decoded.
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('what approvers see: bidirectional and control characters', () => {
  it('shows a right-to-left override in an id as ⟨U+202E⟩, isolated, in the list, the page and the CLI', () => {
    verifies('approval.view-visible-text');
    const held = approval([action('volumeDelete', RLO_ID, 'production')]);
    for (const html of [pendingHtml([held]), detailHtml(held)]) {
      expect(html).not.toContain('\u202E');
      expect(html).toContain('vol_prod_db⟨U+202E⟩gnigats');
      expect(html).toMatch(/<bdi dir="ltr" class="agent-text">[^<]*vol_prod_db⟨U\+202E⟩gnigats/);
    }
    const terminal = [...approvalDetail(held, PRODUCTION), approvalLine(held, PRODUCTION)].join(
      '\n',
    );
    expect(terminal).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u001b]/);
    expect(terminal).toContain('volume vol_prod_db⟨U+202E⟩gnigats in production');
    expect(terminal).toMatch(/hidden characters .* see `approvals show --json` for the exact id/);
  });

  it('writes out escape sequences and line breaks in agent names and reasons in the terminal', () => {
    const held = approval([action('volume\u001b[2J\nDelete', 'vol_1', 'staging')], {
      agent: 'bot\u001b]0;pwned\u0007',
      reasons: ['a\nb'],
    });
    const terminal = approvalDetail(held, PRODUCTION).join('\n');
    expect(terminal).not.toContain('\u001b');
    expect(terminal).toContain('volume⟨U+001B⟩[2J⟨U+000A⟩Delete');
    expect(terminal).toContain('agent bot⟨U+001B⟩]0;pwned⟨U+0007⟩');
    expect(terminal).toContain('  - a⟨U+000A⟩b');
  });
});

describe('what approvers see: no field pushes the rest out of sight', () => {
  const huge = `vol_${'x'.repeat(20_000)}`;
  const held = [
    approval([action('volumeDelete', huge, 'staging')], { id: 'apr_huge' }),
    approval([action('volumeDelete', 'vol_after', 'production')], { id: 'apr_after' }),
  ];

  it('cuts a 20,000-character id in the list, saying its length, and keeps every other row', () => {
    verifies('approval.view-bounded');
    const html = pendingHtml(held);
    expect(html).toContain('data-id="apr_huge"');
    expect(html).toContain('data-id="apr_after"');
    expect(html).toContain('vol_after');
    expect(html).toContain('(20004 characters)');
    // Nothing of the id past the cut reaches the list.
    expect(html).not.toContain('x'.repeat(100));
    expect(html.length).toBeLessThan(10_000);
    const lines = held.map((a) => approvalLine(a, PRODUCTION));
    expect(lines[0]).toContain('(20,004 characters)');
    expect(lines[0]?.length).toBeLessThan(400);
  });

  it('shows the whole id on the page only inside a closed, bounded box, after the cut', () => {
    const html = detailHtml(held[0] as Approval);
    expect(html).toContain('Show all 20,004 characters');
    expect(html).toMatch(/<details class="long-value"><summary>/);
    expect(html).not.toMatch(/<details class="long-value" open/);
    // The headline and the table carry only the cut value.
    const headline = /<h1>(.*?)<\/h1>/s.exec(html)?.[1] ?? '';
    expect(visibleText(headline).length).toBeLessThan(200);
  });

  it('lists a batch with its production row first and says what it holds at the top', () => {
    const harmless = Array.from({ length: 300 }, (_, i) =>
      action('volume', `vol_read_${i}`, 'staging', 'read'),
    );
    const batch = approval(
      [
        ...harmless,
        action('volumeDelete', 'vol_prod_db', 'production'),
        action('volumeDelete', 'vol_stg', 'staging'),
      ],
      { id: 'apr_batch' },
    );
    const html = detailHtml(batch);
    expect(visibleText(html)).toContain('302 actions: 1 in production, 2 destructive');
    const production = html.indexOf('vol_prod_db');
    expect(production).toBeGreaterThan(0);
    expect(production).toBeLessThan(html.indexOf('vol_stg'));
    expect(html.indexOf('vol_stg')).toBeLessThan(html.indexOf('vol_read_0'));
    expect(visibleText(/<h1>(.*?)<\/h1>/s.exec(html)?.[1] ?? '')).toBe(
      'volumeDelete on volume vol_prod_db and 301 more',
    );
    const row = toPendingItem(batch, 'carol', PRODUCTION);
    expect(row.request).toMatch(
      /^302 actions: 1 in production, 2 destructive: railway volumeDelete, railway volumeDelete, railway volume/,
    );
    expect(row.targets).toMatch(/^volume vol_prod_db, .* and 298 more$/);
    const terminal = approvalDetail(batch, PRODUCTION);
    expect(terminal[1]).toBe(
      '302 actions: 1 in production, 2 destructive (production and destructive first)',
    );
    expect(terminal.findIndex((l) => l.includes('vol_prod_db'))).toBeLessThan(
      terminal.findIndex((l) => l.includes('vol_read_0')),
    );
  });

  it('folds blank lines in the undo-window view, so a mutation below them stays in sight', () => {
    const query = `query { me }${'\n'.repeat(400)}mutation { volumeDelete(volumeId: "vol_prod_db") }`;
    const body = JSON.stringify({ query, variables: {} });
    const html = delayedRequestSection({
      approvalId: 'apr_1',
      status: 'waiting',
      createdAt: 0,
      request: {
        upstream: 'railway',
        surface: 'graphql',
        method: 'POST',
        search: '',
        headers: {},
        body,
      },
    }).toString();
    expect(html).toContain('⟨399 blank lines⟩');
    expect(html).toMatch(
      /<span class="line-no" aria-hidden="true">401<\/span><bdi dir="ltr">mutation \{ volumeDelete/,
    );
    expect(html.split('\n').length).toBeLessThan(40);
  });

  it('shows a stored body that repeats a key exactly as sent, not one decoded reading', () => {
    const body =
      '{"query":"query { me }","query":"mutation { volumeDelete(volumeId: \\"vol_prod_db\\") }"}';
    const html = delayedRequestSection({
      approvalId: 'apr_1',
      status: 'waiting',
      createdAt: 0,
      request: {
        upstream: 'railway',
        surface: 'graphql',
        method: 'POST',
        search: '',
        headers: {},
        body,
      },
    }).toString();
    expect(html).toContain('does not read one way');
    expect(visibleText(html)).toContain(body);
  });
});

describe('what approvers see: an ambiguous request', () => {
  it('keeps duplicate `query` keys as sent, with the reason, and shows no decoded reading', async () => {
    verifies('approval.shows-raw-when-ambiguous');
    const secret = plantedSecret();
    const { airlock, close } = await startGatewayOverRailway(secret);
    try {
      const token = await airlock.token(['*'], ['read', 'write', 'destructive', 'unknown']);
      const body = `{"query":"query { me { id } }","query":"mutation { volumeDelete(volumeId: \\"vol_prod_db\\") }","note":"${token}"}`;
      const held = await airlock.send(token, body);
      expect(held.status).toBe(409);
      const id = String(
        (held.json as { errors: { extensions: { approvalId: string } }[] }).errors[0]?.extensions
          .approvalId,
      );
      const stored = await airlock.store.getApproval(id);
      expect(stored?.request?.ambiguity).toEqual(['the json body repeats a key']);
      expect(stored?.request?.details).toEqual({});
      expect(stored?.request?.raw?.text).toContain(
        '"query":"query { me { id } }","query":"mutation { volumeDelete',
      );
      // The agent's token is scrubbed from the raw bytes too.
      expect(stored?.request?.raw?.text).not.toContain(token);
      expect(stored?.request?.raw?.text).toContain('[redacted by airlock]');
      const page = visibleText(detailHtml(stored as Approval));
      expect(page).toContain('The request as sent (ambiguous)');
      expect(page).toContain('the json body repeats a key');
      expect(page).toContain(
        '"query":"query { me { id } }","query":"mutation { volumeDelete(volumeId: \\"vol_prod_db\\") }"',
      );
      expect(page).not.toContain('The request, decoded');
      const terminal = approvalDetail(stored as Approval, PRODUCTION).join('\n');
      expect(terminal).toContain('the request is AMBIGUOUS');
      expect(terminal).toContain('why: the json body repeats a key');
      expect(terminal).toContain('"query":"query { me { id } }","query":"mutation { volumeDelete');
      expect(terminal).not.toContain('the request, decoded');

      // A query in the URL and another in the body: both are kept, with the reason.
      const search = `?query=${encodeURIComponent('mutation { volumeDelete(volumeId: "vol_prod_db") }')}`;
      const answer = await request(`${airlock.gateway.url}/graphql/railway${search}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query { me { id } }' }),
      });
      const both = (await answer.body.json()) as {
        errors: { extensions: { approvalId: string } }[];
      };
      expect(answer.statusCode).toBe(409);
      const twoSources = await airlock.store.getApproval(
        String(both.errors[0]?.extensions.approvalId),
      );
      expect(twoSources?.request?.ambiguity).toEqual([
        'both the url and the body carry request parameters: query',
      ]);
      const raw = approvalDetail(twoSources as Approval, PRODUCTION).join('\n');
      expect(raw).toContain(`POST ${search}`);
      expect(raw).toContain('{"query":"query { me { id } }"}');
    } finally {
      await close();
    }
  });
});

describe('what approvers see: JSON in a terminal', () => {
  it('escapes an override in `--json` output, keeping the same value', () => {
    const value = { id: RLO_ID, zw: 'a\u200bb', tag: '\u{E0041}' };
    const text = toTerminalJson(value);
    expect(text).not.toMatch(/[\u202E\u200B]/u);
    expect(text).toContain('vol_prod_db\\u202egnigats');
    expect(JSON.parse(text)).toEqual(value);
  });
});
