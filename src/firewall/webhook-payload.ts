import type { ApprovalEventV1 } from './approval-events.js';

/** How an endpoint wants events: Airlock's JSON event, or Slack's `text` + `blocks`. */
export type WebhookFormat = 'json' | 'slack';

/** The exact JSON text posted to an endpoint of `format` for one event. */
export function toWebhookBody(event: ApprovalEventV1, format: WebhookFormat): string {
  if (format === 'json') return JSON.stringify(event);
  return JSON.stringify(toSlackMessage(event));
}

const HEADLINES: Readonly<Record<string, string>> = {
  'approval.created': 'waits for approval',
  'approval.approved': 'was approved',
  'approval.denied': 'was denied',
  'approval.expired': 'expired unapproved',
  'approval.cancelled': 'was cancelled',
  'approval.executed': 'is running',
  'approval.ran': 'ran',
  'approval.outcome-unknown': 'has an unknown outcome: check the upstream',
  'approval.not-run': 'did not run',
};

/**
 * A Slack incoming-webhook message. The button only links to the inbox, where the human logs in
 * and decides; nothing in the message approves by itself.
 */
export function toSlackMessage(event: ApprovalEventV1): { text: string; blocks: unknown[] } {
  const { approval } = event;
  const what = approval.actions
    .map((a) => `${a.operation} on ${a.targets.map((t) => `${t.type} ${t.id} (${t.environment ?? 'unknown environment'})`).join(', ') || a.upstream}`)
    .join('; ');
  const headline = approval.state === 'pending' && event.event === 'approval.approved' ? 'got an approval' : (HEADLINES[event.event] ?? event.event);
  const text = `Airlock: ${approval.agent}'s request ${headline}: ${what} [${approval.id}]`;
  const facts = [
    `*state:* ${approval.state}`,
    `*approvals:* ${approval.approvedBy.length} of ${approval.needed}`,
    `*by:* ${event.actor}`,
    ...(event.reason === undefined ? [] : [`*reason:* ${event.reason}`]),
    ...(approval.runAt === undefined ? [] : [`*runs at:* ${approval.runAt}`]),
  ];
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(text) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(facts.join('  ·  ')) }] },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Airlock' }, url: event.link }] },
    ],
  };
}

// Slack reads <, > and & as markup; agent-chosen ids must not turn into links or mentions.
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
