import { describe, expect, it } from 'vitest';
import {
  codexHookHash,
  codexHookKey,
  codexHooksFeature,
  codexHookTrust,
  pinCodexHooksOn,
} from './install-hooks-codex.js';

describe("Codex's hook switch and trust", () => {
  it('reads the features switch under either name and in dotted form', () => {
    expect(codexHooksFeature(undefined)).toBe('default');
    expect(codexHooksFeature('model = "o4"\n[features]\ncodex_hooks = true\n')).toBe('on');
    expect(codexHooksFeature('[features]\nhooks = false # off\n')).toBe('off');
    expect(codexHooksFeature('features.hooks = false\n')).toBe('off');
    expect(codexHooksFeature('[other]\nhooks = false\n')).toBe('default');
  });

  it('pins hooks on in requirements.toml, adding only what is missing, and refuses a file that turns them off', () => {
    expect(pinCodexHooksOn(undefined)).toEqual({
      text: '[features]\nhooks = true\n',
      changed: true,
    });
    expect(pinCodexHooksOn('allowed_approval_policies = ["untrusted"]\n')).toEqual({
      text: 'allowed_approval_policies = ["untrusted"]\n\n[features]\nhooks = true\n',
      changed: true,
    });
    expect(pinCodexHooksOn('[features]\nweb_search = true\n[mcp]\nx = 1\n')).toEqual({
      text: '[features]\nhooks = true\nweb_search = true\n[mcp]\nx = 1\n',
      changed: true,
    });
    expect(pinCodexHooksOn('[features]\nhooks = true\n')).toEqual({
      text: '[features]\nhooks = true\n',
      changed: false,
    });
    expect(pinCodexHooksOn('[features]\nhooks = false\n')).toMatchObject({
      problem: expect.stringMatching(/turns hooks off/),
    });
    expect(pinCodexHooksOn('features = { web_search = true }\n')).toMatchObject({
      problem: expect.stringMatching(/by hand/),
    });
  });

  it('finds the recorded trust for one hook key, quoted either way', () => {
    const key = codexHookKey('/home/u/.codex/hooks.json', 1, 0);
    expect(key).toBe('/home/u/.codex/hooks.json:pre_tool_use:1:0');
    const config = `[hooks.state."/home/u/.codex/hooks.json:pre_tool_use:0:0"]\ntrusted_hash = "sha256:a"\n\n[hooks.state.'${key}']\ntrusted_hash = "sha256:b"\nenabled = false\n`;
    expect(codexHookTrust(config, key)).toEqual({ trustedHash: 'sha256:b', enabled: false });
    expect(codexHookTrust(config, codexHookKey('/home/u/.codex/hooks.json', 0, 0))).toEqual({
      trustedHash: 'sha256:a',
      enabled: true,
    });
    expect(codexHookTrust(config, codexHookKey('/other', 0, 0))).toBeUndefined();
  });

  it("hashes a hook's definition: command, matcher and timeout all count", () => {
    const base = {
      matcher: 'Bash',
      command: '/usr/bin/node /x/airlock-hook.cjs codex',
      timeout: 30,
    };
    const hash = codexHookHash(base);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(codexHookHash({ ...base, command: `${base.command} --url http://x` })).not.toBe(hash);
    expect(codexHookHash({ ...base, matcher: undefined })).not.toBe(hash);
    expect(codexHookHash({ ...base, timeout: undefined })).toBe(
      codexHookHash({ ...base, timeout: 600 }),
    );
  });
});
