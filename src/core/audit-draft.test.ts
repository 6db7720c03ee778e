import { describe, expect, it } from 'vitest';
import type { AuditDraft } from './audit.js';
import { prepareAuditDraft } from './audit-draft.js';
import { toCanonicalJson } from './canonical.js';
import { isFirewallError } from './errors.js';

const draftOf = (data: unknown, at = 1): AuditDraft => ({
  kind: 'decision',
  actor: 'system',
  at,
  data: data as AuditDraft['data'],
});

describe('prepareAuditDraft', () => {
  it('renders data as its canonical text and keeps that text parsed back', () => {
    const prepared = prepareAuditDraft(
      draftOf({ b: [1, 'two', null], a: { d: true, c: 'ünï 🚀' } }),
    );
    expect(prepared.text).toBe('{"a":{"c":"ünï 🚀","d":true},"b":[1,"two",null]}');
    expect(JSON.stringify(prepared.draft.data)).toBe(prepared.text);
    expect(prepared.draft).toMatchObject({ kind: 'decision', actor: 'system', at: 1 });
  });

  it('drops undefined fields and writes what JSON cannot carry as JSON.stringify does', () => {
    const prepared = prepareAuditDraft(
      draftOf({ gone: undefined, list: [undefined, Number.NaN], inf: Number.POSITIVE_INFINITY }),
    );
    expect(prepared.text).toBe('{"inf":null,"list":[null,null]}');
  });

  it('writes numbers in their shortest form, and -0 as 0', () => {
    const prepared = prepareAuditDraft(draftOf({ n: [-0, 1e21, 1e-7, 0.1 + 0.2, 5e-324] }));
    expect(prepared.text).toBe('{"n":[0,1e+21,1e-7,0.30000000000000004,5e-324]}');
    expect(Object.is((prepared.draft.data['n'] as number[])[0], 0)).toBe(true);
  });

  it('escapes lone surrogates and control characters, and sorts keys by code point', () => {
    const prepared = prepareAuditDraft(
      draftOf({ '\uffff': 1, '\ud83d\ude80': 2, s: '\ud800\u0000' }),
    );
    // Code point order puts U+FFFF before U+1F680, whose UTF-16 form sorts first.
    expect(prepared.text).toBe('{"s":"\\ud800\\u0000","\uffff":1,"\ud83d\ude80":2}');
  });

  it('takes an object by its own fields, as the hash chain does: a Date is {}', () => {
    const prepared = prepareAuditDraft(draftOf({ when: new Date(0) }));
    expect(prepared.text).toBe('{"when":{}}');
    expect(prepared.text).toBe(toCanonicalJson({ when: new Date(0) }));
  });

  it('shares nothing with the caller, and its text is canonical again', () => {
    const data = { list: [{ b: 1, a: 2 }] };
    const prepared = prepareAuditDraft(draftOf(data));
    data.list[0]!.b = 9;
    expect(prepared.draft.data).toEqual({ list: [{ a: 2, b: 1 }] });
    expect(toCanonicalJson(prepared.draft.data)).toBe(prepared.text);
  });

  it('refuses a time that is not finite and data that is not a JSON object with input.invalid', () => {
    for (const draft of [draftOf({}, Number.NaN), draftOf([1]), draftOf(null), draftOf('text')]) {
      expect(() => prepareAuditDraft(draft)).toThrow(
        expect.objectContaining({ code: 'input.invalid' }),
      );
    }
  });

  it('throws for a value JSON cannot hold at all', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const data of [{ big: 1n }, cyclic, undefined]) {
      let thrown: unknown;
      try {
        prepareAuditDraft(draftOf(data));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeDefined();
      expect(isFirewallError(thrown, 'audit.write')).toBe(false);
    }
  });
});
