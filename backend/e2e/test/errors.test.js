// Error behaviour of the proxy listener, through the official clients and raw fetch (where a client hides
// the status or body): 401 / 403 / 404 / 400 / 413 / 502, listener separation and x-request-id.
// The gateway runs with TOLLGATE_MAX_BODY_BYTES=4096 so the 413 case needs only a small body.
import { before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { startStack, test, raw, bearer, waitFor, tokens } from '../lib/harness.js';

const MAX_BODY = 4096;
const TEST_TIMEOUT = { timeout: 30_000 };

let s;
before(async () => {
  s = await startStack({ gatewayEnv: { TOLLGATE_MAX_BODY_BYTES: String(MAX_BODY) } });
});
after(async () => {
  await s?.close();
});

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const unknownKey = () => 'sk-tg-' + Array.from({ length: 40 }, () => BASE62[randomInt(62)]).join('');
const openaiFor = (apiKey) => new OpenAI({ baseURL: s.gw + '/v1', apiKey, maxRetries: 0, timeout: 20_000 });
const ollamaFor = (key) => new Ollama({ host: s.gw, headers: key ? { Authorization: 'Bearer ' + key } : {} });
const chatBody = (model = 'llama3.2', extra = {}) =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream: false, ...extra });

/** Asserts the status and the x-request-id header; returns the response. */
function expectStatus(r, status, what = '') {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 300)}`);
  assert.ok(r.headers.get('x-request-id'), `${what}: x-request-id header missing`);
  return r;
}

/** The /v1 error shape: {"error":{"message","type","code",...}}. */
function expectOpenAiError(r, type, code) {
  assert.ok(r.json && typeof r.json.error === 'object' && r.json.error !== null, `OpenAI error shape: ${r.text}`);
  assert.equal(typeof r.json.error.message, 'string');
  if (type !== undefined) assert.equal(r.json.error.type, type);
  if (code !== undefined) assert.equal(r.json.error.code, code);
}

/** The /api error shape: {"error":"<message>"} and nothing else. */
function expectOllamaError(r) {
  assert.ok(r.json, `JSON body: ${r.text}`);
  assert.deepEqual(Object.keys(r.json), ['error'], `Ollama error shape: ${r.text}`);
  assert.equal(typeof r.json.error, 'string');
}

const mockRequests = async () => (await s.mock.stats()).requests;
// POSTs only: unlike every request, not moved by the gateway's own catalog refreshes and readiness checks (GETs)
const mockModelCalls = async () => (await s.mock.stats()).model_calls;

describe('401: bad keys', () => {
  let revoked;
  let disabledTenantKey;

  before(async () => {
    // A key that works, then is revoked: refused within 3 s.
    const rec = await s.gateway.createKey(s.tenant.id, { name: 'to-revoke' });
    expectStatus(await raw(s.gw + '/v1/models', { headers: bearer(rec.key) }), 200, 'fresh key');
    await s.gateway.admin('POST', `/keys/${rec.id}/revoke`, undefined, 200);
    const t0 = Date.now();
    await waitFor(async () => (await raw(s.gw + '/v1/models', { headers: bearer(rec.key) })).status === 401,
      { timeoutMs: 3000, what: 'revoked key to be refused' });
    revoked = { key: rec.key, refusedAfterMs: Date.now() - t0 };

    // A key whose tenant is then disabled: refused within 3 s.
    const t2 = await s.gateway.createTenant({ name: 'to-disable' });
    const k2 = await s.gateway.createKey(t2.id, { name: 'k' });
    expectStatus(await raw(s.gw + '/api/tags', { headers: bearer(k2.key) }), 200, 'key of an enabled tenant');
    const patched = await s.gateway.admin('PATCH', `/tenants/${t2.id}`, { disabled: true }, 200);
    assert.equal(patched.body.disabled, true);
    await waitFor(async () => (await raw(s.gw + '/api/tags', { headers: bearer(k2.key) })).status === 401,
      { timeoutMs: 3000, what: 'key of a disabled tenant to be refused' });
    disabledTenantKey = k2.key;
  });

  const cases = () => [
    ['missing key', {}],
    ['unknown key', { authorization: `Bearer ${unknownKey()}` }],
    ['malformed key', { authorization: 'Bearer not-a-key' }],
    ['short sk-tg- key', { authorization: 'Bearer sk-tg-abc' }],
    ['empty bearer', { authorization: 'Bearer ' }],
    ['basic auth', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['unknown key in x-api-key', { 'x-api-key': unknownKey() }],
    ['unknown key in api-key', { 'api-key': unknownKey() }],
    ['revoked key', { authorization: `Bearer ${revoked.key}` }],
    ['key of a disabled tenant', { authorization: `Bearer ${disabledTenantKey}` }],
  ];

  const endpoints = [
    ['/v1', 'POST', '/v1/chat/completions', chatBody()],
    ['/v1', 'GET', '/v1/models'],
    ['/v1', 'GET', '/v1/models/llama3.2'],
    ['/v1', 'POST', '/v1/embeddings', JSON.stringify({ model: 'nomic-embed-text', input: 'x' })],
    ['/api', 'POST', '/api/chat', chatBody()],
    ['/api', 'POST', '/api/generate', JSON.stringify({ model: 'llama3.2', prompt: 'x' })],
    ['/api', 'GET', '/api/tags'],
    ['/api', 'POST', '/api/show', JSON.stringify({ model: 'llama3.2' })],
  ];

  test('revoked key and disabled tenant are refused within 3 s', () => {
    assert.ok(revoked.refusedAfterMs <= 3000, `revoked key refused after ${revoked.refusedAfterMs} ms`);
  });

  test('every kind of bad key gets the same 401 per dialect (raw fetch)', async () => {
    const n0 = await mockRequests();
    const bodies = { '/v1': new Set(), '/api': new Set() };
    for (const [name, headers] of cases()) {
      for (const [dialect, method, p, body] of endpoints) {
        const r = await raw(s.gw + p, { method, headers: { 'content-type': 'application/json', ...headers }, body });
        expectStatus(r, 401, `${name} ${method} ${p}`);
        if (dialect === '/v1') expectOpenAiError(r, 'authentication_error', 'invalid_api_key');
        else expectOllamaError(r);
        bodies[dialect].add(r.text);
      }
    }
    assert.equal(bodies['/v1'].size, 1, `one /v1 401 body, got ${[...bodies['/v1']].join(' | ')}`);
    assert.equal(bodies['/api'].size, 1, `one /api 401 body, got ${[...bodies['/api']].join(' | ')}`);
    assert.equal(await mockRequests(), n0, 'refused requests never reach the upstream');
  });

  test('OpenAI client: AuthenticationError for unknown, malformed and revoked keys', async () => {
    const errors = [];
    for (const key of [unknownKey(), 'not-a-key', revoked.key, disabledTenantKey]) {
      const client = openaiFor(key);
      for (const call of [
        () => client.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] }),
        () => client.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true }),
        () => client.models.list(),
        () => client.embeddings.create({ model: 'nomic-embed-text', input: 'x', encoding_format: 'float' }),
      ]) {
        const e = await call().then(() => assert.fail('should be refused'), (err) => err);
        assert.ok(e instanceof OpenAI.AuthenticationError, `AuthenticationError, got ${e?.constructor?.name}: ${e?.message}`);
        assert.equal(e.status, 401);
        assert.equal(e.code, 'invalid_api_key');
        assert.equal(e.type, 'authentication_error');
        assert.ok(e.requestID);
        errors.push(JSON.stringify(e.error));
      }
    }
    assert.equal(new Set(errors).size, 1);
  });

  test('Ollama client: ResponseError 401 for missing, unknown and revoked keys', async () => {
    const messages = new Set();
    for (const key of [null, unknownKey(), revoked.key, disabledTenantKey]) {
      const client = ollamaFor(key);
      for (const call of [
        () => client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: false }),
        () => client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true }),
        () => client.list(),
        () => client.embed({ model: 'nomic-embed-text', input: 'x' }),
      ]) {
        const e = await call().then(() => assert.fail('should be refused'), (err) => err);
        assert.equal(e.name, 'ResponseError', `${e?.name}: ${e?.message}`);
        assert.equal(e.status_code, 401);
        messages.add(e.error);
      }
    }
    assert.equal(messages.size, 1);
  });

  test('a valid key is accepted in x-api-key and api-key too', async () => {
    for (const h of ['x-api-key', 'api-key']) {
      const r = await raw(s.gw + '/v1/chat/completions', { method: 'POST', headers: { [h]: s.key, 'content-type': 'application/json' }, body: chatBody('llama3.2', { max_tokens: 1 }) });
      expectStatus(r, 200, h);
      assert.equal(r.json.choices[0].message.content, 'tok0 ');
    }
  });
});

describe('404: a forbidden model and a missing model get the same answer', () => {
  const FORBIDDEN = 'qwen2.5:0.5b';
  const MISSING = 'no-such-model:7b';
  const norm = (text, model) => text.replaceAll(model, '<model>');

  const calls = [
    ['/v1', '/v1/chat/completions', (m) => chatBody(m)],
    ['/v1', '/v1/completions', (m) => JSON.stringify({ model: m, prompt: 'x' })],
    ['/v1', '/v1/embeddings', (m) => JSON.stringify({ model: m, input: 'x' })],
    ['/v1', '/v1/models/', null],
    ['/api', '/api/chat', (m) => chatBody(m)],
    ['/api', '/api/generate', (m) => JSON.stringify({ model: m, prompt: 'x', stream: true })],
    ['/api', '/api/embed', (m) => JSON.stringify({ model: m, input: 'x' })],
    ['/api', '/api/embeddings', (m) => JSON.stringify({ model: m, prompt: 'x' })],
    ['/api', '/api/show', (m) => JSON.stringify({ model: m })],
  ];

  test('raw fetch: identical 404 bodies (model name aside), model_not_found on /v1', async () => {
    for (const [dialect, p, body] of calls) {
      const ask = (key, model) => body
        ? raw(s.gw + p, { method: 'POST', headers: bearer(key), body: body(model) })
        : raw(s.gw + p + encodeURIComponent(model), { headers: bearer(key) });
      const forbidden = expectStatus(await ask(s.restrictedKey, FORBIDDEN), 404, `forbidden ${p}`);
      const missing = expectStatus(await ask(s.restrictedKey, MISSING), 404, `missing ${p}`);
      const missingFull = expectStatus(await ask(s.key, MISSING), 404, `missing (full key) ${p}`);
      if (dialect === '/v1') {
        for (const r of [forbidden, missing]) expectOpenAiError(r, 'invalid_request_error', 'model_not_found');
      } else {
        for (const r of [forbidden, missing]) expectOllamaError(r);
      }
      assert.equal(norm(forbidden.text, FORBIDDEN), norm(missing.text, MISSING), `same body on ${p}`);
      assert.equal(missing.text, missingFull.text, `same body for every key on ${p}`);
      assert.equal(forbidden.headers.get('content-type'), missing.headers.get('content-type'));
    }
  });

  test('OpenAI client: NotFoundError with code model_not_found', async () => {
    const client = openaiFor(s.restrictedKey);
    const errs = [];
    for (const model of [FORBIDDEN, MISSING]) {
      const e = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })
        .then(() => assert.fail('should be refused'), (err) => err);
      assert.ok(e instanceof OpenAI.NotFoundError, `${e?.constructor?.name}: ${e?.message}`);
      assert.equal(e.status, 404);
      assert.equal(e.code, 'model_not_found');
      errs.push(norm(JSON.stringify(e.error), model));
    }
    assert.equal(errs[0], errs[1]);
  });

  test('Ollama client: ResponseError 404', async () => {
    const client = ollamaFor(s.restrictedKey);
    const msgs = [];
    for (const model of [FORBIDDEN, MISSING]) {
      const e = await client.generate({ model, prompt: 'hi', stream: false }).then(() => assert.fail('should be refused'), (err) => err);
      assert.equal(e.status_code, 404, e.message);
      msgs.push(norm(e.error, model));
    }
    assert.equal(msgs[0], msgs[1]);
  });
});

describe('403: model management and unknown /api paths', () => {
  const blocked = [
    ['POST', '/api/pull', { model: 'llama3.2' }],
    ['POST', '/api/push', { model: 'llama3.2' }],
    ['POST', '/api/create', { model: 'x', from: 'llama3.2' }],
    ['POST', '/api/copy', { source: 'llama3.2', destination: 'y' }],
    ['DELETE', '/api/delete', { model: 'llama3.2' }],
    ['POST', '/api/blobs/sha256:abc', undefined],
    ['GET', '/api/unknown', undefined],
    ['POST', '/api/unknown', {}],
    ['GET', '/api/pull', undefined],
  ];

  test('raw fetch: one identical 403 body for all, never forwarded', async () => {
    const n0 = await mockRequests();
    const bodies = new Set();
    for (const [method, p, body] of blocked) {
      const r = await raw(s.gw + p, { method, headers: bearer(s.key), body: body === undefined ? undefined : JSON.stringify(body) });
      expectStatus(r, 403, `${method} ${p}`);
      expectOllamaError(r);
      bodies.add(r.text);
    }
    const head = await fetch(s.gw + '/api/blobs/sha256:abc', { method: 'HEAD', headers: bearer(s.key) });
    assert.equal(head.status, 403, 'HEAD /api/blobs/...');
    assert.equal(bodies.size, 1, [...bodies].join(' | '));
    assert.equal(await mockRequests(), n0, 'blocked requests never reach the upstream');
  });

  test('Ollama client: pull, push, create, copy, delete are refused with 403', async () => {
    const client = ollamaFor(s.key);
    for (const [name, call] of [
      ['pull', () => client.pull({ model: 'llama3.2', stream: false })],
      ['push', () => client.push({ model: 'llama3.2', stream: false })],
      ['create', () => client.create({ model: 'x', from: 'llama3.2', stream: false })],
      ['copy', () => client.copy({ source: 'llama3.2', destination: 'y' })],
      ['delete', () => client.delete({ model: 'llama3.2' })],
    ]) {
      const e = await call().then(() => assert.fail(`${name} should be refused`), (err) => err);
      assert.equal(e.status_code, 403, `${name}: ${e.message}`);
    }
  });
});

describe('400: malformed requests', () => {
  const bad = [
    ['truncated JSON', '{"model": "llama3.2", "messages": ['],
    ['not JSON', 'hello'],
    ['JSON array', '[]'],
    ['trailing garbage', '{"model":"llama3.2","messages":[]} x'],
    ['model not a string', '{"model": 5, "messages": []}'],
    ['messages not an array', '{"model": "llama3.2", "messages": "hi"}'],
    ['stream not a boolean', '{"model": "llama3.2", "messages": [], "stream": "yes"}'],
    ['empty body', ''],
  ];

  test('/v1/chat/completions: 400 invalid_request_error', async () => {
    const n0 = await mockModelCalls();
    for (const [name, body] of bad) {
      const r = await raw(s.gw + '/v1/chat/completions', { method: 'POST', headers: bearer(s.key), body });
      expectStatus(r, 400, name);
      expectOpenAiError(r, 'invalid_request_error');
    }
    assert.equal(await mockModelCalls(), n0, 'malformed requests never reach the upstream');
  });

  test('/api/chat: 400 {"error": "..."}', async () => {
    for (const [name, body] of bad) {
      const r = await raw(s.gw + '/api/chat', { method: 'POST', headers: bearer(s.key), body });
      expectStatus(r, 400, name);
      expectOllamaError(r);
    }
  });

  test('other model endpoints reject malformed JSON too', async () => {
    for (const p of ['/v1/completions', '/v1/embeddings', '/api/generate', '/api/embed', '/api/embeddings']) {
      const r = await raw(s.gw + p, { method: 'POST', headers: bearer(s.key), body: '{"model":' });
      expectStatus(r, 400, p);
      if (p.startsWith('/v1')) expectOpenAiError(r, 'invalid_request_error'); else expectOllamaError(r);
    }
  });

  test('clients: wrong field types give BadRequestError / ResponseError 400', async () => {
    const e = await openaiFor(s.key).chat.completions.create({ model: 'llama3.2', messages: 'not an array' })
      .then(() => assert.fail('should be refused'), (err) => err);
    assert.ok(e instanceof OpenAI.BadRequestError, `${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.status, 400);
    assert.equal(e.type, 'invalid_request_error');
    const e2 = await ollamaFor(s.key).generate({ model: 'llama3.2', prompt: 'x', options: 'fast', stream: false })
      .then(() => assert.fail('should be refused'), (err) => err);
    assert.equal(e2.status_code, 400, e2.message);
  });

  test('a bad key is reported before a malformed body', async () => {
    const r = await raw(s.gw + '/v1/chat/completions', { method: 'POST', headers: bearer(unknownKey()), body: '{"model":' });
    expectStatus(r, 401, 'bad key + bad body');
  });
});

describe('413: body over TOLLGATE_MAX_BODY_BYTES', () => {
  const big = (endpoint) => endpoint.startsWith('/v1/embeddings') || endpoint.startsWith('/api/embed')
    ? JSON.stringify({ model: 'nomic-embed-text', input: 'x '.repeat(MAX_BODY) })
    : JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'x '.repeat(MAX_BODY) }] });

  test('raw fetch: 413 in each dialect', async () => {
    const n0 = await mockModelCalls();
    for (const p of ['/v1/chat/completions', '/v1/embeddings', '/api/chat', '/api/embed']) {
      const r = await raw(s.gw + p, { method: 'POST', headers: bearer(s.key), body: big(p) });
      expectStatus(r, 413, p);
      if (p.startsWith('/v1')) expectOpenAiError(r); else expectOllamaError(r);
    }
    assert.equal(await mockModelCalls(), n0, 'oversized requests never reach the upstream');
  });

  test('raw fetch: 413 for a chunked upload (no Content-Length)', async () => {
    const bytes = new TextEncoder().encode(big('/v1/chat/completions'));
    const body = new ReadableStream({
      start(c) {
        for (let i = 0; i < bytes.length; i += 1024) c.enqueue(bytes.slice(i, i + 1024));
        c.close();
      },
    });
    const r = await fetch(s.gw + '/v1/chat/completions', { method: 'POST', headers: bearer(s.key), body, duplex: 'half', signal: AbortSignal.timeout(20_000) });
    const text = await r.text();
    assert.equal(r.status, 413, text);
    assert.ok(r.headers.get('x-request-id'));
  });

  test('a body just under the limit passes', async () => {
    const content = 'y '.repeat(1500);
    const body = JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content }], max_tokens: 2 });
    assert.ok(body.length < MAX_BODY);
    const r = expectStatus(await raw(s.gw + '/v1/chat/completions', { method: 'POST', headers: bearer(s.key), body }), 200, 'under limit');
    assert.equal(r.json.choices[0].message.content, tokens(2));
    assert.equal(r.json.usage.prompt_tokens, 1500);
  });

  test('OpenAI client: APIError status 413', async () => {
    const e = await openaiFor(s.key).chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'x '.repeat(MAX_BODY) }] })
      .then(() => assert.fail('should be refused'), (err) => err);
    assert.ok(e instanceof OpenAI.APIError, `${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.status, 413);
  });
});

describe('listener separation', () => {
  test('admin routes are 404 on the proxy port', async () => {
    for (const [method, p] of [['GET', '/admin/api/tenants'], ['POST', '/admin/api/login'], ['GET', '/admin/api/openapi.yml'], ['GET', '/metrics']]) {
      const r = await raw(s.gw + p, { method, headers: { authorization: `Bearer ${s.gateway.token}`, 'content-type': 'application/json' },
        body: method === 'POST' ? JSON.stringify({ username: 'admin', password: 'x' }) : undefined });
      assert.equal(r.status, 404, `${method} ${p} on the proxy port: ${r.status} ${r.text.slice(0, 200)}`);
    }
  });

  test('proxy routes are 404 on the admin port', async () => {
    const admin = s.gateway.adminUrl;
    for (const [method, p, body] of [['GET', '/v1/models'], ['POST', '/v1/chat/completions', chatBody()], ['POST', '/api/chat', chatBody()],
      ['GET', '/api/tags'], ['GET', '/api/version'], ['GET', '/health/ready']]) {
      const r = await raw(admin + p, { method, headers: bearer(s.key), body });
      assert.equal(r.status, 404, `${method} ${p} on the admin port: ${r.status} ${r.text.slice(0, 200)}`);
    }
  });

  test('404 for admin routes on the proxy port carries x-request-id', async () => {
    const r = await raw(s.gw + '/admin/api/tenants', { headers: bearer(s.key) });
    assert.equal(r.status, 404);
    assert.ok(r.headers.get('x-request-id'), 'x-request-id header on the 404');
  });
});

describe('x-request-id', () => {
  test('every proxy response carries a distinct x-request-id', async () => {
    const ids = [];
    const reqs = [
      ['GET', '/v1/models', s.key],
      ['POST', '/v1/chat/completions', s.key, chatBody('llama3.2', { max_tokens: 1 })],
      ['POST', '/v1/chat/completions', s.key, chatBody('llama3.2', { max_tokens: 1, stream: true })],
      ['POST', '/api/chat', s.key, JSON.stringify({ model: 'llama3.2', messages: [], options: { num_predict: 1 } })],
      ['GET', '/api/version', s.key],
      ['GET', '/api/tags', null],
      ['POST', '/api/pull', s.key, '{}'],
      ['POST', '/v1/chat/completions', s.key, '{'],
      ['POST', '/v1/chat/completions', s.restrictedKey, chatBody('qwen2.5:0.5b')],
      ['POST', '/v1/chat/completions', s.key, chatBody('mock-fail')],
      ['GET', '/v1/nope', s.key],
      ['GET', '/health/live', null],
      ['GET', '/health/ready', null],
    ];
    for (const [method, p, key, body] of reqs) {
      const r = await raw(s.gw + p, { method, headers: key ? bearer(key) : {}, body });
      const id = r.headers.get('x-request-id');
      assert.ok(id, `${method} ${p} (${r.status}) has no x-request-id`);
      ids.push(id);
    }
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  });
});

describe('429: limits, through the official clients', () => {
  test('rpm: RateLimitError with rate_limit_exceeded and Retry-After; x-ratelimit-* on the admitted call', TEST_TIMEOUT, async () => {
    const rec = await s.gateway.createKey(s.tenant.id, { name: 'rpm-1', limits: { rpm: 1 } });
    const ok = expectStatus(await raw(s.gw + '/v1/chat/completions', { method: 'POST', headers: bearer(rec.key), body: chatBody() }), 200, 'first call');
    assert.equal(ok.headers.get('x-ratelimit-limit-requests'), '1');
    assert.equal(ok.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.match(ok.headers.get('x-ratelimit-reset-requests'), /^(\d+ms|\d+s|1m[01]s)$/);
    const err = await openaiFor(rec.key).chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })
      .then(() => assert.fail('should be refused'), (e) => e);
    assert.ok(err instanceof OpenAI.RateLimitError, `expected RateLimitError, got ${err?.constructor?.name}: ${err?.message}`);
    assert.equal(err.status, 429);
    assert.equal(err.code, 'rate_limit_exceeded');
    assert.equal(err.type, 'rate_limit_error');
    assert.match(err.message, /rpm is 1 requests per minute/);
    const retryAfter = Number(err.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 61, `Retry-After ${retryAfter}`);
  });

  test('quota: insufficient_quota on /v1, {"error"} with 429 on /api', TEST_TIMEOUT, async () => {
    const rec = await s.gateway.createKey(s.tenant.id, { name: 'daily-1', limits: { daily_requests: 1 } });
    await ollamaFor(rec.key).chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: false });
    const e = await ollamaFor(rec.key).chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: false })
      .then(() => assert.fail('should be refused'), (err) => err);
    assert.equal(e.status_code, 429, e.message);
    assert.match(e.message, /daily_requests/);
    const r = expectStatus(await raw(s.gw + '/v1/chat/completions', { method: 'POST', headers: bearer(rec.key), body: chatBody() }), 429, 'spent quota');
    expectOpenAiError(r, 'insufficient_quota', 'insufficient_quota');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
  });
});

describe('502: upstream failures', () => {
  test('upstream 500 (mock-fail) becomes 502, in every dialect', async () => {
    for (const [p, body] of [
      ['/v1/chat/completions', chatBody('mock-fail')],
      ['/v1/chat/completions', chatBody('mock-fail', { stream: true })],
      ['/v1/completions', JSON.stringify({ model: 'mock-fail', prompt: 'x' })],
      ['/v1/embeddings', JSON.stringify({ model: 'mock-fail', input: 'x' })],
      ['/api/chat', chatBody('mock-fail')],
      ['/api/generate', JSON.stringify({ model: 'mock-fail', prompt: 'x' })],
      ['/api/embed', JSON.stringify({ model: 'mock-fail', input: 'x' })],
    ]) {
      const r = await raw(s.gw + p, { method: 'POST', headers: bearer(s.key), body });
      expectStatus(r, 502, `mock-fail ${p}`);
      if (p.startsWith('/v1')) expectOpenAiError(r); else expectOllamaError(r);
    }
  });

  test('a whole answer the upstream breaks off (mock-slow-fail, not streaming) becomes 502, never a truncated 200', async () => {
    for (const [p, body] of [
      ['/v1/chat/completions', chatBody('mock-slow-fail')],
      ['/v1/completions', JSON.stringify({ model: 'mock-slow-fail', prompt: 'x' })],
      ['/api/chat', chatBody('mock-slow-fail', { stream: false })],
      ['/api/generate', JSON.stringify({ model: 'mock-slow-fail', prompt: 'x', stream: false })],
    ]) {
      const r = await raw(s.gw + p, { method: 'POST', headers: bearer(s.key), body });
      expectStatus(r, 502, `mock-slow-fail ${p}`);
      if (p.startsWith('/v1')) expectOpenAiError(r); else expectOllamaError(r);
      assert.match(r.text, /broke off its answer/);
    }
    const e = await openaiFor(s.key).chat.completions.create({ model: 'mock-slow-fail', messages: [{ role: 'user', content: 'hi' }] })
      .then(() => assert.fail('should fail'), (err) => err);
    assert.equal(e.status, 502, e.message);
  });

  test('a whole answer is sent with its length, not chunked', async () => {
    for (const [p, body] of [
      ['/v1/chat/completions', chatBody('llama3.2', { max_tokens: 3 })],
      ['/api/chat', chatBody('llama3.2', { stream: false })],
      ['/v1/embeddings', JSON.stringify({ model: 'nomic-embed-text', input: 'x' })],
    ]) {
      const r = await raw(s.gw + p, { method: 'POST', headers: bearer(s.key), body });
      expectStatus(r, 200, p);
      const text = r.text;
      assert.equal(r.headers.get('transfer-encoding'), null, p);
      assert.equal(Number(r.headers.get('content-length')), Buffer.byteLength(text), p);
    }
  });

  test('clients see 502 for mock-fail', async () => {
    const e = await openaiFor(s.key).chat.completions.create({ model: 'mock-fail', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .then(() => assert.fail('should fail'), (err) => err);
    assert.ok(e instanceof OpenAI.InternalServerError, `${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.status, 502);
    const e2 = await ollamaFor(s.key).chat({ model: 'mock-fail', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .then(() => assert.fail('should fail'), (err) => err);
    assert.equal(e2.status_code, 502, e2.message);
  });

  test('upstream unreachable gives 502, and service resumes when it is back', TEST_TIMEOUT, async () => {
    const port = s.mock.port;
    await s.mock.stop();
    try {
      for (const [method, p, body] of [
        ['POST', '/v1/chat/completions', chatBody()],
        ['POST', '/v1/chat/completions', chatBody('llama3.2', { stream: true })],
        ['POST', '/v1/embeddings', JSON.stringify({ model: 'nomic-embed-text', input: 'x' })],
        ['GET', '/v1/models'],
        ['POST', '/api/chat', chatBody()],
        ['POST', '/api/generate', JSON.stringify({ model: 'llama3.2', prompt: 'x' })],
        ['GET', '/api/tags'],
        ['GET', '/api/ps'],
      ]) {
        const r = await raw(s.gw + p, { method, headers: bearer(s.key), body });
        expectStatus(r, 502, `${method} ${p} with the upstream down`);
        if (p.startsWith('/v1')) expectOpenAiError(r); else expectOllamaError(r);
      }
      const e = await openaiFor(s.key).chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })
        .then(() => assert.fail('should fail'), (err) => err);
      assert.equal(e.status, 502, e.message);
      const e2 = await ollamaFor(s.key).chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: false })
        .then(() => assert.fail('should fail'), (err) => err);
      assert.equal(e2.status_code, 502, e2.message);
    } finally {
      await s.mock.start({ port });
    }
    await waitFor(async () => (await raw(s.gw + '/v1/chat/completions', { method: 'POST', headers: bearer(s.key), body: chatBody('llama3.2', { max_tokens: 1 }) })).status === 200,
      { timeoutMs: 15_000, intervalMs: 200, what: 'the gateway to serve again after the upstream came back' });
  });
});
