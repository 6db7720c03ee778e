import { describe, expect, it } from 'vitest';
import { toShortText, toVisibleBlock, toVisibleLines, toVisibleText } from './visible-text.js';

describe('visible text', () => {
  it('writes out a right-to-left override, so a production id cannot read as a staging one', () => {
    // Displayed raw, this reads `vol_prod_db` followed by the reversed `gnigats`: "staging".
    const id = 'vol_prod_db\u202Egnigats';
    expect(toVisibleText(id)).toBe('vol_prod_db⟨U+202E⟩gnigats');
  });

  it('writes out controls, escape sequences, isolates, zero-width and tag characters and lone surrogates', () => {
    expect(toVisibleText('a\u0000b\u001b[2Jc\u2066d\u200be\u{E0041}f\uD800g\n\t')).toBe(
      'a⟨U+0000⟩b⟨U+001B⟩[2Jc⟨U+2066⟩d⟨U+200B⟩e⟨U+E0041⟩f⟨U+D800⟩g⟨U+000A⟩⟨U+0009⟩',
    );
    expect(toVisibleBlock('line\n\tx\u2028y\r')).toBe('line\n\tx⟨U+2028⟩y⟨U+000D⟩');
    expect(toVisibleText('Grüße, שלום, 🙂')).toBe('Grüße, שלום, 🙂');
  });

  it('cuts long values with their length, never inside a label or a surrogate pair', () => {
    expect(toShortText('x'.repeat(20_000), 10)).toEqual({
      text: 'x'.repeat(10),
      length: 20_000,
      cut: true,
    });
    expect(toShortText('abcdefg\u202Exyz', 10).text).toBe('abcdefg');
    expect(toShortText('abcdefghi🙂', 10).text).toBe('abcdefghi');
    expect(toShortText('short', 10)).toEqual({ text: 'short', length: 5, cut: false });
  });

  it('numbers lines and folds a run of blank lines into one visible marker', () => {
    const text = `query { me }${'\n'.repeat(500)}mutation { volumeDelete(volumeId: "vol_prod_db") }`;
    const lines = toVisibleLines(text);
    expect(lines).toEqual([
      { kind: 'text', number: 1, text: 'query { me }' },
      { kind: 'blank-run', from: 2, to: 500 },
      { kind: 'text', number: 501, text: 'mutation { volumeDelete(volumeId: "vol_prod_db") }' },
    ]);
    expect(toVisibleLines('a\n\nb')).toHaveLength(3);
    // A line holding only hidden characters is not blank: it is shown, written out.
    expect(
      toVisibleLines('a\n\u200b\n\u200b\n\u200b\nb').map((l) =>
        l.kind === 'text' ? l.text : 'run',
      ),
    ).toEqual(['a', '⟨U+200B⟩', '⟨U+200B⟩', '⟨U+200B⟩', 'b']);
  });
});
