import { describe, expect, it } from 'vitest';
import { classifyShellCommand } from './index.js';

const judge = (command: string) => classifyShellCommand(command, '/repo', 'shell');

describe('input redirections', () => {
  it('reports `< FILE` as a read of that file, so the guard can see reads such as another process environment', async () => {
    const actions = await judge('cat < /proc/1/environ');
    expect(actions).toContainEqual(
      expect.objectContaining({
        operation: 'redirect <',
        effect: 'read',
        targets: [{ type: 'path', id: '/proc/1/environ', attrs: {} }],
      }),
    );
  });

  it('places a relative file in the working folder, after `cd`', async () => {
    const actions = await judge('cd sub && wc -l < ./data.txt');
    expect(
      actions.flatMap((action) =>
        action.operation === 'redirect <' ? action.targets.map((target) => target.id) : [],
      ),
    ).toEqual(['/repo/sub/data.txt']);
  });

  it('reports `<>` as a read and a write, and `<&` to a file as a read', async () => {
    const both = await judge('exec 3<> /repo/state');
    expect(both.map((action) => [action.operation, action.effect])).toEqual(
      expect.arrayContaining([
        ['redirect <', 'read'],
        ['redirect <>', 'write'],
      ]),
    );
    const duplicated = await judge('cat 0<& /etc/shadow');
    expect(duplicated).toContainEqual(
      expect.objectContaining({
        operation: 'redirect <&',
        effect: 'read',
        targets: [{ type: 'path', id: '/etc/shadow', attrs: {} }],
      }),
    );
  });

  it('reports no file for descriptor duplication, here-strings and here-documents', async () => {
    const actions = await judge("exec 3<&0; cat <<< 'text'; cat <<EOF\nbody\nEOF");
    expect(actions.some((action) => action.operation.startsWith('redirect'))).toBe(false);
  });

  it('reads a file known only at run time without a target', async () => {
    const actions = await judge('cat < "$file"');
    expect(actions).toContainEqual(
      expect.objectContaining({ operation: 'redirect <', effect: 'read', targets: [] }),
    );
  });
});
