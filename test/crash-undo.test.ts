import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import type { RailwayStandin } from '../src/standins/index.js';
import { INCIDENT_IDS, startRailwayStandin } from '../src/standins/index.js';
import { verifyWebhookSignature } from '../src/firewall/index.js';
import { openSqliteStore } from '../src/stores/index.js';
import { plantedSecret, volumeDelete } from './gateway-harness.js';
import { verifies } from './requirements.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';
import { enrolApprover } from './totp-phone.js';

// `airlock serve` as a real child process in front of the Railway stand-in, killed with SIGKILL
// while approvals are pending, a delayed action waits out its undo window and another is in
// flight; restarted on the same home, nothing is lost and nothing runs twice.

const BIN = join(import.meta.dirname, '..', 'bin', 'airlock.js');
const SECRET = plantedSecret();
const TTL_S = 45;
const HOOK_SECRET = 'crash-test-signing-secret';

/** A webhook receiver that keeps the events whose signature verifies. */
async function startReceiver() {
  const events: { event: string; approvalId: string }[] = [];
  let forged = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const header = req.headers['airlock-signature'];
      if (
        !verifyWebhookSignature(
          HOOK_SECRET,
          raw,
          typeof header === 'string' ? header : undefined,
          Math.floor(Date.now() / 1000),
        )
      )
        forged += 1;
      else {
        const parsed = JSON.parse(raw) as { event: string; approval: { id: string } };
        events.push({ event: parsed.event, approvalId: parsed.approval.id });
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    events,
    forged: () => forged,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Counts every volumeDelete that reaches Railway, per volume; `hang` volumes are never answered. */
async function startCountingRelay(upstream: string, hang: Set<string>) {
  const deletes = new Map<string, number>();
  let arrived: (volume: string) => void = () => undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const parsed = JSON.parse(body.toString('utf8') || '{}') as {
        query?: string;
        variables?: { id?: string };
      };
      if (parsed.query?.includes('volumeDelete') === true) {
        const volume = String(parsed.variables?.id);
        deletes.set(volume, (deletes.get(volume) ?? 0) + 1);
        arrived(volume);
        if (hang.has(volume)) return; // in flight forever: the sender cannot know if it ran
      }
      void fetch(upstream, {
        method: 'POST',
        headers: {
          authorization: String(req.headers.authorization),
          'content-type': 'application/json',
        },
        body,
      }).then(async (answer) => {
        res
          .writeHead(answer.status, { 'content-type': 'application/json' })
          .end(await answer.text());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql/v2`,
    deletes,
    nextDelete: () => new Promise<string>((resolve) => (arrived = resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function startServe(home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [BIN, '--home', home, 'serve', '--dev', '--port', '0', '--json'],
    {
      env: { ...process.env, RAILWAY_TOKEN: SECRET, HOOK_SECRET },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)}`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  return exited;
}

async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 30_000);

describe('airlock serve killed with SIGKILL', () => {
  it('loses no approval, runs a delayed action exactly once, and never reruns one it may have run', async () => {
    verifies('undo.crash-never-runs-twice');
    verifies('approval.expired-in-background');
    verifies('webhook.never-blocks');
    const railway: RailwayStandin = await startRailwayStandin({
      port: 0,
      tokens: { account: [SECRET] },
      seed: true,
    });
    cleanups.push(() => railway.close());
    const staging = (name: string) =>
      railway.state.addVolume({
        projectId: INCIDENT_IDS.project,
        name,
        environmentIds: [INCIDENT_IDS.staging],
        serviceId: null,
        mountPath: `/${name}`,
        region: 'us-west2',
      }).id;
    const [waitingVolume, inFlightVolume, pendingVolume, cancelledVolume] = [
      INCIDENT_IDS.stagingScratchVolume,
      staging('in-flight'),
      staging('pending'),
      staging('cancelled'),
    ];
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const relay = await startCountingRelay(railway.url, new Set([inFlightVolume]));
    cleanups.push(relay.close);
    const home = freshHome();
    writeFileSync(
      join(home, 'airlock.yaml'),
      [
        'approvals:',
        `  ttl: ${TTL_S}s`,
        '  sweepInterval: 200ms',
        '  undo:',
        '    - { delay: 3s, upstreams: [railway], operations: [volumeDelete] }',
        'webhooks:',
        '  endpoints:',
        `    ops: { url: "${receiver.url}", format: json, secretEnv: HOOK_SECRET }`,
        '    down: { url: "http://127.0.0.1:9/hook", format: json, secretEnv: HOOK_SECRET }',
        'upstreams:',
        `  railway: { kind: graphql, url: "${relay.url}", credentialEnv: RAILWAY_TOKEN }`,
        '',
      ].join('\n'),
    );
    // Three approvers, so that no vote waits for a fresh TOTP step inside the 3 s undo window.
    const phones = new Map(
      ['carol', 'dave', 'erin'].map((name) => [
        name,
        enrolApprover(home, name, ['--upstream', 'railway', '--env', '*']),
      ]),
    );
    const vote = (verb: 'approve' | 'cancel', id: string, name: string) => {
      // While serve runs, the CLI is a client of its admin socket: the vote goes through the server.
      const run = runCli(['approvals', verb, id, '--as', name], {
        home,
        input: phones.get(name)?.line() ?? '',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    };
    const issued = runCli(
      [
        'token',
        'issue',
        '--agent',
        'bot',
        '--owner',
        'alice',
        '--upstream',
        'railway',
        '--env',
        'staging',
        '--effect',
        'read',
        'write',
        'destructive',
        '--json',
      ],
      { home },
    );
    const { token } = jsonLines(issued.stdout)[0] as { token: string };

    let serve = await startServe(home);
    cleanups.push(() => kill(serve.child, 'SIGTERM'));
    const send = async (volume: string) => {
      const reply = await fetch(`${serve.url}/graphql/railway`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(volumeDelete(volume)),
      });
      return {
        status: reply.status,
        json: (await reply.json()) as { errors?: { extensions: { approvalId: string } }[] },
      };
    };
    const poll = async (id: string, suffix = '') => {
      const reply = await fetch(`${serve.url}/approvals/${id}${suffix}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: reply.status, text: await reply.text() };
    };
    const hold = async (volume: string) => {
      const reply = await send(volume);
      expect(reply.status).toBe(409);
      return reply.json.errors?.[0]?.extensions.approvalId ?? '';
    };
    const inFlight = await hold(inFlightVolume);
    const waiting = await hold(waitingVolume);
    const pending = await hold(pendingVolume);
    const cancelled = await hold(cancelledVolume);

    // One delayed action is sent by Airlock after its window; Railway never answers it.
    const arrived = relay.nextDelete();
    vote('approve', inFlight, 'carol');
    expect(await arrived).toBe(inFlightVolume);
    // Another is approved: its window has 3 s to run when the process is killed.
    vote('approve', waiting, 'dave');
    vote('approve', cancelled, 'erin');
    vote('cancel', cancelled, 'carol');
    expect((await send(waitingVolume)).status).toBe(409); // the agent's retry never runs it
    expect(JSON.parse((await poll(waiting)).text)).toMatchObject({
      state: 'approved',
      resultUrl: expect.stringContaining(`/approvals/${waiting}/result`),
    });
    await kill(serve.child, 'SIGKILL');
    expect(Object.fromEntries(relay.deletes)).toEqual({ [inFlightVolume]: 1 });

    serve = await startServe(home);
    // Nothing lost: the pending approval is still pending, for the agent as for approvers.
    expect(JSON.parse((await poll(pending)).text)).toMatchObject({ state: 'pending' });
    expect(JSON.parse((await poll(cancelled)).text)).toMatchObject({
      state: 'cancelled',
      message: expect.stringContaining('did not run'),
    });
    // The in-flight action may or may not have run: marked unknown, audited, never sent again.
    expect(JSON.parse((await poll(inFlight)).text)).toMatchObject({
      state: 'executed',
      outcome: 'unknown',
      message: expect.stringContaining('unknown outcome'),
    });
    expect((await poll(inFlight, '/result')).status).toBe(409);
    // The waiting action runs once its window has passed, and the agent fetches its result.
    const result = await until(async () => {
      const reply = await poll(waiting, '/result');
      return reply.status === 200 ? reply.text : undefined;
    }, 'the delayed action result');
    expect(JSON.parse(result)).toEqual({ data: { volumeDelete: true } });
    expect(result).not.toContain(SECRET);
    expect(railway.state.state.volumes.some((v) => v.id === waitingVolume)).toBe(false);

    // Left alone, the pending approval is expired by serve's own timer, audited as the system.
    const store = openSqliteStore({ path: join(home, 'airlock.db') });
    cleanups.push(() => store.close());
    await until(
      async () => ((await store.getApproval(pending))?.state === 'expired' ? true : undefined),
      'background expiry',
      (TTL_S + 30) * 1000,
    );
    const audit = await store.readAudit();
    expect(
      audit
        .filter((r) => r.kind === 'approval.expired')
        .map((r) => [r.data['approvalId'], r.actor]),
    ).toEqual([[pending, 'system']]);
    expect(
      audit.filter((r) => r.kind === 'approval.outcome-unknown').map((r) => r.data['approvalId']),
    ).toEqual([inFlight]);
    expect(
      audit.filter((r) => r.kind === 'approval.executed').map((r) => r.data['approvalId']),
    ).toEqual([inFlight, waiting]);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(JSON.stringify(audit)).not.toContain(token);
    // Nothing ran twice: one volumeDelete each reached Railway, none for the expired approval.
    expect(Object.fromEntries(relay.deletes)).toEqual({ [inFlightVolume]: 1, [waitingVolume]: 1 });
    expect(railway.state.state.volumes.some((v) => v.id === cancelledVolume)).toBe(true);
    expect(runCli(['audit', 'verify'], { home }).status).toBe(0);

    // Webhooks went out for everything, across the kill, each signed; the log survived the restart.
    const expected = [
      ['approval.created', inFlight],
      ['approval.created', waiting],
      ['approval.created', pending],
      ['approval.created', cancelled],
      ['approval.approved', inFlight],
      ['approval.executed', inFlight],
      ['approval.outcome-unknown', inFlight],
      ['approval.approved', waiting],
      ['approval.executed', waiting],
      ['approval.ran', waiting],
      ['approval.approved', cancelled],
      ['approval.cancelled', cancelled],
      ['approval.expired', pending],
    ]
      .map(([event, id]) => `${String(event)} ${String(id)}`)
      .sort();
    const seen = () =>
      [...new Set(receiver.events.map((e) => `${e.event} ${e.approvalId}`))].sort();
    await until(async () => (seen().length >= expected.length ? true : undefined), 'every webhook');
    expect(seen()).toEqual(expected);
    expect(receiver.forged()).toBe(0);
    // The receiver that is down delayed none of the above; its deliveries wait in the log, retried.
    const down = await store.listWebhookDeliveries({ status: 'pending' });
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((d) => d.endpoint === 'down')).toBe(true);
    const tried = down.filter((d) => d.attempts >= 1);
    expect(tried.length).toBeGreaterThan(0);
    expect(
      tried.every(
        (d) => d.lastError !== undefined && d.nextAttemptAt > (d.lastAttemptAt ?? Infinity),
      ),
    ).toBe(true);
  }, 180_000);
});
