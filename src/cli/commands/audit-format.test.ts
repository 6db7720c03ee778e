import { describe, expect, it } from 'vitest';
import { formatRecord } from './audit-command.js';

describe('audit tail lines', () => {
  it('say how many requests reused which decision, and for what', () => {
    const line = formatRecord({
      v: 1,
      seq: 7,
      prevHash: '0'.repeat(64),
      hash: '1'.repeat(64),
      kind: 'decision.reused',
      actor: 'agent:db-agent',
      at: Date.UTC(2026, 10, 26),
      data: {
        decisionId: 'dec_1',
        count: 1200,
        surface: 'sql',
        shape: 'SELECT balance FROM accounts WHERE id = $1',
        firstAt: 0,
        lastAt: 0,
      },
    });
    expect(line).toBe(
      '#7 2026-11-26T00:00:00.000Z decision.reused by agent:db-agent: 1200 more on decision dec_1 (sql: SELECT balance FROM accounts WHERE id = $1)',
    );
  });
});
