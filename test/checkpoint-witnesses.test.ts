import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSink, httpSink, syslogSink } from '../src/platform/index.js';

const LINE =
  '{"checkpoint":{"at":1,"hash":"00","seq":1,"storeId":"sto_x","v":1},"keyId":"k","signature":"c2ln"}';
const dir = mkdtempSync(join(tmpdir(), 'airlock-witness-'));
const has = (command: string, args: string[]) =>
  spawnSync(command, args, { stdio: 'ignore' }).status === 0;

describe('checkpoint witnesses', () => {
  it('appends lines to a file created 0600', async () => {
    const path = join(dir, 'file.jsonl');
    const sink = fileSink(path);
    await sink.append(LINE);
    await sink.append(LINE);
    expect(readFileSync(path, 'utf8')).toBe(`${LINE}\n${LINE}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('posts each line as JSON, and fails on an answer that is not 2xx', async () => {
    const received: { type: string | undefined; body: string }[] = [];
    let status = 204;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ type: request.headers['content-type'], body });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const sink = httpSink(`http://127.0.0.1:${(server.address() as AddressInfo).port}/witness`);
      await sink.append(LINE);
      expect(received).toEqual([{ type: 'application/json', body: LINE }]);
      status = 503;
      await expect(sink.append(LINE)).rejects.toThrow('answered 503');
    } finally {
      server.close();
    }
  });

  describe('syslog', () => {
    let listener: ChildProcess | undefined;
    afterAll(() => listener?.kill());

    // No syslog daemon runs in these machines: a Unix datagram socket of the test's own stands in.
    it.runIf(has('logger', ['--help']) && has('python3', ['--version']))(
      'sends one line through logger to a Unix datagram socket',
      { timeout: 30_000 },
      async () => {
        const socket = join(dir, 'log.sock');
        const script = `import socket\ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.bind(${JSON.stringify(socket)})\nprint(s.recv(65536).decode(), flush=True)\n`;
        listener = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        listener.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(100);
        await syslogSink({ socket, tag: 'airlock-audit' }).append(LINE);
        for (let i = 0; i < 100 && out === ''; i++) await sleep(100);
        expect(out).toContain(`airlock-audit: ${LINE}`);
      },
    );

    it('fails when the socket is not there', async () => {
      await expect(
        syslogSink({ socket: join(dir, 'none.sock'), tag: 'airlock-audit' }).append(LINE),
      ).rejects.toThrow(/logger failed/);
    });

    const devLog = existsSync('/dev/log');
    (devLog ? it : it.skip)(
      `sends one line to the system log at /dev/log${devLog ? '' : ' (skipped: no /dev/log on this machine)'}`,
      async () => {
        await syslogSink({ tag: 'airlock-audit-test' }).append(LINE);
      },
    );
  });
});
