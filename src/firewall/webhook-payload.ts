import type { ApprovalActionV1 } from '../core/index.js';
import {
  DEFAULT_PRODUCTION_ENVIRONMENTS,
  groupDigits,
  toBatchSummary,
  toReviewOrder,
  toShortText,
} from '../core/index.js';
import type { ApprovalEventV1 } from './approval-events.js';

/** How an endpoint wants events: Airlock's JSON event, or Slack's `text` + `blocks`. */
export type WebhookFormat = 'json' | 'slack';

/**
 * The exact JSON text posted to an endpoint of `format` for one event. A JSON event carries its
 * `delivery` id inside the body, so the id receivers deduplicate on is covered by the signature.
 */
export function toWebhookBody(
  event: ApprovalEventV1,
  format: WebhookFormat,
  deliveryId?: string,
): string {
  if (format === 'json')
    return JSON.stringify(deliveryId === undefined ? event : { ...event, delivery: deliveryId });
  return JSON.stringify(toSlackMessage(event));
}

const HEADLINES: Readonly<Record<string, string>> = {
  'approval.created': 'waits for approval',
  'approval.approved': 'was approved',
  'approval.denied': 'was denied',
  'approval.expired': 'expired unapproved',
  'approval.cancelled': 'was cancelled',
  'approval.executed': 'is running',
  'approval.returned': 'did not run (its snapshot failed) and is approved again',
  'approval.ran': 'ran',
  'approval.outcome-unknown': 'has an unknown outcome: check the upstream',
  'approval.not-run': 'did not run',
};

/** A Slack incoming-webhook message: no mrkdwn anywhere, agent text inert. */
export interface SlackMessage {
  readonly text: string;
  /** Off: the top-level `text` is not read as mrkdwn. */
  readonly mrkdwn: false;
  readonly blocks: unknown[];
}

// Slack refuses a text object over 3,000 characters; values are cut well before.
const MAX_VALUE_CHARS = 80;
const MAX_LINE_CHARS = 2_900;
const MAX_LISTED_ACTIONS = 3;

/**
 * A Slack incoming-webhook message. The button only links to the inbox, where the human logs in
 * and decides; nothing in the message approves by itself. SECURITY: every value (agent, ids,
 * operations, reasons, names) goes through `slackText`, blocks are `plain_text` and the
 * top-level text has mrkdwn off, so the agent can mention no one, link nothing, break no line
 * and format nothing.
 */
export function toSlackMessage(event: ApprovalEventV1): SlackMessage {
  const { approval } = event;
  const headline =
    approval.state === 'pending' && event.event === 'approval.approved'
      ? 'got an approval'
      : (HEADLINES[event.event] ?? event.event);
  const line = cutLine(
    `Airlock: ${slackText(approval.agent)}'s request ${headline}: ${describeActions(approval.actions)} [${slackText(approval.id)}]`,
  );
  const facts = [
    `state: ${slackText(approval.state)}`,
    `approvals: ${approval.approvedBy.length} of ${approval.needed}`,
    `by: ${slackText(event.actor)}`,
    ...(event.reason === undefined ? [] : [`reason: ${slackText(event.reason, 300)}`]),
    ...(approval.runAt === undefined ? [] : [`runs at: ${approval.runAt}`]),
  ];
  return {
    text: line,
    mrkdwn: false,
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: line, emoji: false } },
      {
        type: 'context',
        elements: [{ type: 'plain_text', text: cutLine(facts.join('  ·  ')), emoji: false }],
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open in Airlock' },
            url: event.link,
          },
        ],
      },
    ],
  };
}

/** What a batch does, production and destructive first, the first few listed. */
function describeActions(actions: readonly ApprovalActionV1[]): string {
  const ordered = toReviewOrder(actions, DEFAULT_PRODUCTION_ENVIRONMENTS);
  const listed = ordered.slice(0, MAX_LISTED_ACTIONS).map((a) => {
    const targets = a.targets
      .slice(0, MAX_LISTED_ACTIONS)
      .map(
        (t) =>
          `${slackText(t.type)} ${slackText(t.id)} (${t.environment === undefined ? 'unknown environment' : slackText(t.environment)})`,
      );
    const more =
      a.targets.length > MAX_LISTED_ACTIONS
        ? ` and ${a.targets.length - MAX_LISTED_ACTIONS} more`
        : '';
    return `${slackText(a.operation)} on ${targets.join(', ') || slackText(a.upstream)}${more}`;
  });
  const more =
    ordered.length > MAX_LISTED_ACTIONS ? `; and ${ordered.length - MAX_LISTED_ACTIONS} more` : '';
  const summary =
    actions.length > 1 ? `${toBatchSummary(actions, DEFAULT_PRODUCTION_ENVIRONMENTS)}: ` : '';
  return `${summary}${listed.join('; ')}${more}`;
}

// Look-alikes for what Slack (or a Slack-compatible receiver) reads as formatting or mentions.
const NEUTRAL: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '@': '＠',
  '*': '∗',
  '~': '∼',
  '`': 'ˋ',
};
// An underscore inside a word (`vol_prod_db`) never formats; one at a word's edge might.
const EDGE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * One agent-supplied value made inert for Slack: controls and line breaks written out as
 * `⟨U+XXXX⟩`, `&`, `<`, `>` escaped (no `<!channel>`, `<@U…>` or `<url|label>`), and `@`,
 * `*`, `~`, backtick and an underscore at a word's edge replaced by look-alikes (no `@here`, no formatting), cut to
 * `maxChars` with its length said.
 */
export function slackText(value: string, maxChars = MAX_VALUE_CHARS): string {
  const short = toShortText(value, maxChars);
  const text = short.text
    .replace(/[&<>@*~`]/g, (char) => NEUTRAL[char] ?? char)
    .replace(EDGE_UNDERSCORE, '＿');
  return short.cut ? `${text}… (${groupDigits(short.length)} characters)` : text;
}

function cutLine(text: string): string {
  if (text.length <= MAX_LINE_CHARS) return text;
  let cut = text.slice(0, MAX_LINE_CHARS);
  // Never half an entity (`&am`) or half a surrogate pair.
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
