// Test harness: starts the mock upstream and a Tollgate gateway (embedded database in a fresh temp dir)
// for one test file, provisions a tenant and keys through the admin API, and tears everything down.
//
// Usage in a test file:
//   import { startStack, test } from './harness.js';
//   let s; before(async () => { s = await startStack(); }); after(() => s?.close());
//   test('...', async () => { ... });   // like node:test's test(), but prints the gateway log tail on failure
//
// Env: GATEWAY_JAR, MOCK_JAR (paths to the jars; default: the Maven build outputs of this repo),
//      JAVA (java executable, default "java"), E2E_STARTUP_TIMEOUT_MS (default 90000), E2E_VERBOSE=1
//      (echo the processes' output).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, createWriteStream, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as nodeTest } from 'node:test';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../../..');
export const GATEWAY_JAR = process.env.GATEWAY_JAR || path.join(REPO, 'backend/target/tollgate.jar');
export const MOCK_JAR = process.env.MOCK_JAR || path.join(REPO, 'bench/mock-upstream/target/mock-upstream.jar');
const JAVA = process.env.JAVA || 'java';
const STARTUP_TIMEOUT_MS = Number(process.env.E2E_STARTUP_TIMEOUT_MS || 90_000);
const VERBOSE = process.env.E2E_VERBOSE === '1';
export const ADMIN_PASSWORD = 'e2e-admin-password';

/** The gateway's own version (what GET /api/version must answer): the Maven project version. */
export function projectVersion() {
  if (process.env.TOLLGATE_VERSION) return process.env.TOLLGATE_VERSION;
  const pom = readFileSync(path.join(REPO, 'pom.xml'), 'utf8').replace(/<parent>[\s\S]*?<\/parent>/, '');
  return /<version>([^<]+)<\/version>/.exec(pom)[1].trim();
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns a truthy value; throws with the last error/value after the deadline. */
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

/** A child process whose output goes to a log file and a ring buffer (for the failure tail). */
class Proc {
  constructor(name, args, { env = {}, logFile }) {
    this.name = name;
    this.lines = [];
    this.exited = null;
    this.log = createWriteStream(logFile);
    this.child = spawn(JAVA, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (buf) => {
      const text = buf.toString();
      this.log.write(text);
      if (VERBOSE) process.stderr.write(`[${name}] ${text}`);
      for (const line of text.split('\n')) if (line) this.lines.push(line);
      if (this.lines.length > 2000) this.lines.splice(0, this.lines.length - 1000);
    };
    this.child.stdout.on('data', onData);
    this.child.stderr.on('data', onData);
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve(this.exited);
      });
    });
    live.add(this);
  }

  tail(n = 60) {
    return this.lines.slice(-n).join('\n');
  }

  async stop(timeoutMs = 10_000) {
    if (!this.exited) {
      this.child.kill('SIGTERM');
      const t = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await this.exitPromise;
      clearTimeout(t);
    }
    live.delete(this);
    await new Promise((r) => this.log.end(r));
  }
}

// Children still running when the test process exits (e.g. after a crash) are killed.
const live = new Set();
process.on('exit', () => {
  for (const p of live) if (!p.exited) p.child.kill('SIGKILL');
});

/**
 * Copies a jar into the run's temp dir and returns the copy: a running JVM breaks (NoClassDefFoundError)
 * when its jar is rebuilt under it, e.g. by a concurrent `mvnw package`.
 */
function privateCopy(jar, dir, kind) {
  if (!existsSync(jar)) {
    throw new Error(`${kind} jar not found: ${jar} (build with ./mvnw -B -q -DskipTests package or set ${kind === 'gateway' ? 'GATEWAY_JAR' : 'MOCK_JAR'})`);
  }
  const copy = path.join(dir, path.basename(jar));
  if (!existsSync(copy)) copyFileSync(jar, copy);
  return copy;
}

export class Mock {
  constructor(dir) {
    this.dir = dir;
    this.port = null;
    this.proc = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start({ port, tokens = 20, delayMs = 0 } = {}) {
    const jar = privateCopy(MOCK_JAR, this.dir, 'mock');
    this.port = port ?? this.port ?? (await freePort());
    this.proc = new Proc('mock', ['-jar', jar, '--port', String(this.port), '--tokens', String(tokens), '--delay-ms', String(delayMs)],
      { logFile: path.join(this.dir, `mock-${Date.now()}.log`) });
    await waitFor(() => {
      if (this.proc.exited) throw new Error(`mock exited early: ${JSON.stringify(this.proc.exited)}\n${this.proc.tail()}`);
      return this.proc.lines.some((l) => l.includes('mock-upstream listening on'));
    }, { timeoutMs: 20_000, what: 'mock upstream to listen' });
    return this;
  }

  async stop() {
    await this.proc?.stop();
  }

  async stats() {
    const r = await fetch(`${this.url}/_mock/stats`);
    return r.json();
  }

  async reset() {
    await fetch(`${this.url}/_mock/reset`, { method: 'POST' });
  }

  async config(cfg) {
    const r = await fetch(`${this.url}/_mock/config`, { method: 'POST', body: JSON.stringify(cfg) });
    if (!r.ok) throw new Error(`mock config failed: ${r.status} ${await r.text()}`);
    return r.json();
  }
}

export class Gateway {
  constructor(dir) {
    this.dir = dir;
    this.proc = null;
    this.token = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get adminUrl() {
    return `http://127.0.0.1:${this.adminPort}`;
  }

  /** Starts the gateway; waitReady: 'ready' (/health/ready 200) or 'live' (when the upstream is down). */
  async start({ upstream, env = {}, waitReady = 'ready' }) {
    const jar = privateCopy(GATEWAY_JAR, this.dir, 'gateway');
    this.port = await freePort();
    this.adminPort = await freePort();
    const dataDir = mkdtempSync(path.join(this.dir, 'data-'));
    const fullEnv = {
      TOLLGATE_PORT: String(this.port),
      TOLLGATE_HOST: '127.0.0.1',
      TOLLGATE_ADMIN_PORT: String(this.adminPort),
      TOLLGATE_ADMIN_HOST: '127.0.0.1',
      TOLLGATE_DATA_DIR: dataDir,
      OLLAMA_URL: upstream,
      TOLLGATE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DATABASE_URL: '',
      REDIS_URL: '',
      ...env,
    };
    this.proc = new Proc('gateway', ['-jar', jar], { env: fullEnv, logFile: path.join(this.dir, `gateway-${this.port}.log`) });
    const healthPath = waitReady === 'live' ? '/health/live' : '/health/ready';
    await waitFor(async () => {
      if (this.proc.exited) throw new Error(`gateway exited early: ${JSON.stringify(this.proc.exited)}`);
      const r = await fetch(this.url + healthPath, { signal: AbortSignal.timeout(5000) });
      await r.arrayBuffer();
      return r.status === 200 && (await canConnect(this.adminPort));
    }, { timeoutMs: STARTUP_TIMEOUT_MS, intervalMs: 200, what: `gateway ${healthPath}` }).catch((e) => {
      process.stderr.write(`\n--- gateway log tail ---\n${this.proc.tail(80)}\n---\n`);
      throw e;
    });
    await this.login();
    return this;
  }

  async stop() {
    await this.proc?.stop();
  }

  async login() {
    const r = await fetch(`${this.adminUrl}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const body = await r.json();
    if (r.status !== 200 || !body.token) throw new Error(`admin login failed: ${r.status} ${JSON.stringify(body)}`);
    this.token = body.token;
  }

  /** Calls the admin API; returns { status, body }. Throws unless the status is `expect` (when given). */
  async admin(method, p, body, expect) {
    const r = await fetch(`${this.adminUrl}/admin/api${p}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    const parsed = text ? JSON.parse(text) : null;
    if (expect !== undefined && r.status !== expect) {
      throw new Error(`admin ${method} ${p}: expected ${expect}, got ${r.status} ${text}`);
    }
    return { status: r.status, body: parsed };
  }

  async createTenant(spec) {
    return (await this.admin('POST', '/tenants', spec, 201)).body;
  }

  async createKey(tenantId, spec) {
    return (await this.admin('POST', `/tenants/${tenantId}/keys`, spec, 201)).body;
  }

  tail(n) {
    return this.proc ? this.proc.tail(n) : '(gateway not started)';
  }
}

let current = null;

/**
 * Starts mock + gateway and provisions: tenant `e2e`, key `key` (all models) and `restrictedKey`
 * (allowed_models ["llama3.2"]). Returns the stack; call close() in after().
 */
export async function startStack({ gatewayEnv = {}, mockTokens = 20, mockDelayMs = 0 } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-e2e-'));
  const mock = new Mock(dir);
  const gateway = new Gateway(dir);
  const stack = {
    dir, mock, gateway,
    async close() {
      current = null;
      await gateway.stop().catch(() => {});
      await mock.stop().catch(() => {});
      if (!process.env.E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
  current = stack;
  try {
    await mock.start({ tokens: mockTokens, delayMs: mockDelayMs });
    await gateway.start({ upstream: mock.url, env: gatewayEnv });
    stack.gw = gateway.url;
    stack.tenant = await gateway.createTenant({ name: 'e2e' });
    stack.keyRecord = await gateway.createKey(stack.tenant.id, { name: 'full' });
    stack.key = stack.keyRecord.key;
    stack.restrictedRecord = await gateway.createKey(stack.tenant.id, { name: 'restricted', allowed_models: ['llama3.2'] });
    stack.restrictedKey = stack.restrictedRecord.key;
  } catch (e) {
    await stack.close();
    throw e;
  }
  return stack;
}

function printTail(name) {
  if (!current) return;
  process.stderr.write(`\n--- test "${name}" failed; gateway log tail ---\n${current.gateway.tail(60)}\n--- end of gateway log ---\n`);
}

/** node:test's test(), printing the gateway log tail when the test fails. */
export function test(name, opts, fn) {
  if (typeof opts === 'function') { fn = opts; opts = {}; }
  return nodeTest(name, opts, async (t) => {
    try {
      await fn(t);
    } catch (e) {
      printTail(name);
      throw e;
    }
  });
}

// ---------- small HTTP helpers for raw requests ----------

/** fetch that returns { status, headers, text, json } (json null if not JSON). */
export async function raw(url, { method = 'GET', headers = {}, body, timeoutMs = 20_000 } = {}) {
  const r = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, text, json };
}

/**
 * POSTs and reads the response as the wire carries it, with node:http: every byte that arrived before the
 * connection ended, and whether the HTTP message was complete (a chunked body needs its terminating chunk).
 * WHATWG-stream clients (fetch, and the SDKs on it) may drop chunks still queued when the stream errors, so a
 * test of what the gateway sent before a failure reads it here.
 */
export function wire(url, { headers = {}, body, timeoutMs = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      const done = () => resolve({ status: res.statusCode, text, complete: res.complete });
      res.on('end', done);
      res.on('aborted', done);
      res.on('error', done);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export const bearer = (key) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

/** Parses an SSE body into its `data:` payloads (strings), checking the framing. */
export function sseData(text) {
  const events = text.split('\n\n');
  if (events.at(-1) !== '') throw new Error(`SSE body does not end with a blank line: ${JSON.stringify(text.slice(-80))}`);
  events.pop();
  return events.map((ev) => {
    const lines = ev.split('\n').filter((l) => !l.startsWith(':'));
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
    if (data.length !== 1) throw new Error(`unexpected SSE event: ${JSON.stringify(ev)}`);
    return data[0];
  });
}

/** Parses an NDJSON body into objects. */
export function ndjson(text) {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

/** "tok0 tok1 ... tok{n-1} " as the mock produces it. */
export const tokens = (n) => Array.from({ length: n }, (_, i) => `tok${i} `).join('');
