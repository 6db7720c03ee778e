import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PasskeyCredentialV1 } from './passkey-store.js';
import { FilePasskeyStore } from './passkey-store.js';

const key: PasskeyCredentialV1 = {
  approver: 'carol',
  approverGeneration: 'g1',
  id: 'cred-1',
  publicKey: 'pk',
  counter: 0,
  transports: ['internal'],
  createdAt: 1,
};
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('FilePasskeyStore', () => {
  it('keeps passkeys across restarts in a 0600 file, written whole', async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-passkeys-'));
    const path = join(dir, 'passkeys.json');
    const first = new FilePasskeyStore(path);
    await first.add(key);
    await first.setCounter('cred-1', 7);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = new FilePasskeyStore(path);
    expect(await again.listOf('carol')).toEqual([{ ...key, counter: 7 }]);
    expect(await again.listOf('dave')).toEqual([]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1 });
  });

  it('refuses to start on a file that is not a passkeys file', () => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-passkeys-'));
    const path = join(dir, 'passkeys.json');
    writeFileSync(path, '{"version":2}');
    expect(() => new FilePasskeyStore(path)).toThrow();
  });
});
