#!/usr/bin/env node
// The benchmark's client: node's http module with a keep-alive agent, no packages. Prints one JSON
// object with every measured time (milliseconds) on stdout; progress goes to stderr.
//
//   node client.js seq   --paths paths.json [--requests 2000] [--streams 500] [--warmup 300]
//   node client.js burst --paths paths.json [--concurrency 1000] [--rounds 3] [--timeout-s 60]
//   node client.js cpu   --paths paths.json [--requests 1000] --pids name:pid,...
//
// paths.json: [{ "name": "...", "url": "http://127.0.0.1:PORT", "headers": { ... }, "model": "..." }, ...]
// ("model" optional: --model otherwise; "kind": "lease" calls the supervisor's acquire and release instead).
//
// seq: one request at a time, interleaved across the paths (path i+1 right after path i, the
// starting path rotating every round) so drift on a shared machine hits every path alike.
// Non-streaming chats are timed to the end of the response; streaming chats to the first body
// chunk (the first SSE event). Every path has its own agent holding one kept-alive connection.
//
// burst: per round and path, `concurrency` streaming chats opened in the same tick on a fresh
// agent (so each opens its own connection, as that many clients arriving at once would), timed
// to the first body chunk; the paths take turns, round by round. A burst is bounded by
// --timeout-s: whatever has not answered by then is destroyed and counted as timed out.
'use strict';

const http = require('node:http');
const fs = require('node:fs');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const mode = process.argv[2];
const paths = JSON.parse(fs.readFileSync(arg('--paths', 'paths.json'), 'utf8'));
const model = arg('--model', 'node');
const bodies = new Map();
/** The request body for a path (its own "model", else --model), built once. */
const bodyFor = (path, stream) => {
  const key = `${path.model || model}:${stream}`;
  if (!bodies.has(key)) {
    bodies.set(key, Buffer.from(JSON.stringify({
      model: path.model || model,
      stream,
      messages: [{ role: 'user', content: 'hello' }],
    })));
  }
  return bodies.get(key);
};

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

// --pids name:pid,...: processes whose CPU time (utime + stime from /proc/PID/stat) is read
// around each measured block, to say which process spent the time.
const pids = (arg('--pids', '') || '').split(',').filter(Boolean).map((p) => {
  const [name, pid] = p.split(':');
  return { name, pid: Number(pid) };
});
const ticksPerSecond = 100;

function cpuSeconds() {
  const out = {};
  for (const { name, pid } of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    } catch {
      out[name] = NaN;
    }
  }
  return out;
}

function cpuSince(before) {
  const after = cpuSeconds();
  const out = {};
  for (const name of Object.keys(after)) {
    out[name] = after[name] - before[name];
  }
  return out;
}

let leaseCounter = 0;

/** One POST with a JSON body; resolves { status, text }. */
function post(agent, url, body) {
  return new Promise((resolve) => {
    const req = http.request({
      agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': body ? body.length : 0 },
    }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', (e) => resolve({ status: 0, error: e.code || e.message }));
    });
    req.on('error', (e) => resolve({ status: 0, error: e.code || e.message }));
    req.end(body);
  });
}

/**
 * kind "lease": what the gateway asks the supervisor for every request, from this client: an
 * acquire (long poll, answered at once for a ready model) then the release. ms is the acquire's
 * time (the request's first byte can go upstream after it); total includes the release.
 */
async function lease(agent, path) {
  const started = nowMs();
  const requestId = `bench-${process.pid}-${leaseCounter++}`;
  const acquired = await post(agent, new URL('/internal/v1/acquire', path.url), Buffer.from(JSON.stringify({ model, requestId })));
  const ms = nowMs() - started;
  if (acquired.status !== 200) {
    return { ms: null, status: acquired.status, error: acquired.error };
  }
  const leaseId = JSON.parse(acquired.text).leaseId;
  const released = await post(agent, new URL('/internal/v1/release/' + encodeURIComponent(leaseId), path.url), null);
  return { ms, total: nowMs() - started, status: released.status === 204 ? 200 : released.status, error: released.error };
}

const timingHeaders = ['x-llamaswap-queue-wait-ms', 'x-llamaswap-proxy-ms', 'x-llamaswap-upstream-ms'];

/** One chat; resolves { ms, status } with ms to the end (plain) or to the first body chunk (stream). */
function chat(agent, path, stream, timeoutMs) {
  if (path.kind === 'lease') {
    return lease(agent, path);
  }
  return new Promise((resolve) => {
    const url = new URL('/v1/chat/completions', path.url);
    const body = bodyFor(path, stream);
    const started = nowMs();
    let timings = null;
    let first = null;
    let settled = false;
    const done = (result) => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    const req = http.request({
      agent,
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, ...(path.headers || {}) },
    }, (res) => {
      if (res.headers[timingHeaders[1]] !== undefined) {
        timings = timingHeaders.map((h) => Number(res.headers[h]));
      }
      res.on('data', () => {
        if (first === null) {
          first = nowMs() - started;
        }
      });
      res.on('end', () => {
        const total = nowMs() - started;
        done({ ms: stream ? first : total, total, status: res.statusCode, timings });
      });
      res.on('error', (e) => done({ ms: null, status: res.statusCode, error: e.code || e.message }));
    });
    req.on('error', (e) => done({ ms: null, status: 0, error: e.code || e.message }));
    if (timeoutMs) {
      req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    }
    req.end(body);
  });
}

async function seq() {
  const requests = Number(arg('--requests', '2000'));
  const streams = Number(arg('--streams', '500'));
  const warmup = Number(arg('--warmup', '300'));
  const agents = paths.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  let timings = null;
  const run = async (count, stream, record) => {
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < paths.length; k++) {
        const p = (i + k) % paths.length;
        const r = await chat(agents[p], paths[p], stream, 30_000);
        if (r.status !== 200 || r.ms === null) {
          throw new Error(`${paths[p].name}: status ${r.status} ${r.error || ''}`);
        }
        if (record) {
          record[p].push(r.ms);
          if (r.timings && timings) {
            timings[p].push(r.timings);
          }
        }
      }
    }
  };
  process.stderr.write(`client: warm-up, ${warmup} rounds\n`);
  await run(warmup, false, null);
  await run(Math.ceil(warmup / 4), true, null);
  const plain = paths.map(() => []);
  const firstChunk = paths.map(() => []);
  const plainTimings = paths.map(() => []);
  timings = plainTimings;
  process.stderr.write(`client: ${requests} non-streaming chats per path, interleaved\n`);
  const t0 = nowMs();
  await run(requests, false, plain);
  const plainSeconds = (nowMs() - t0) / 1000;
  process.stderr.write(`client: ${streams} streaming chats per path, interleaved\n`);
  timings = null;
  await run(streams, true, firstChunk);
  agents.forEach((a) => a.destroy());
  const out = { mode: 'seq', plainSeconds, paths: paths.map((p, i) => ({ name: p.name, plain: plain[i], firstChunk: firstChunk[i], timings: plainTimings[i] })) };
  process.stdout.write(JSON.stringify(out) + '\n');
}

async function burstOnce(path, concurrency, timeoutS) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const cpuBefore = cpuSeconds();
  const started = nowMs();
  const all = [];
  for (let i = 0; i < concurrency; i++) {
    all.push(chat(agent, path, true, timeoutS * 1000));
  }
  const results = await Promise.all(all);
  const wall = nowMs() - started;
  const cpu = cpuSince(cpuBefore);
  agent.destroy();
  const ok = results.filter((r) => r.status === 200 && r.ms !== null);
  const failures = {};
  for (const r of results) {
    if (!(r.status === 200 && r.ms !== null)) {
      const key = r.error ? r.error : `HTTP ${r.status}`;
      failures[key] = (failures[key] || 0) + 1;
    }
  }
  return { ttfb: ok.map((r) => r.ms), total: ok.map((r) => r.total), failures, wall, cpu };
}

async function burst() {
  const concurrency = Number(arg('--concurrency', '1000'));
  const rounds = Number(arg('--rounds', '3'));
  const timeoutS = Number(arg('--timeout-s', '60'));
  const pauseMs = Number(arg('--pause-ms', '2000'));
  const out = { mode: 'burst', concurrency, paths: paths.map((p) => ({ name: p.name, rounds: [] })) };
  // A small burst first on every path: connections, JIT, thread pools.
  for (const p of paths) {
    await burstOnce(p, Math.min(50, concurrency), timeoutS);
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < paths.length; k++) {
      const p = (round + k) % paths.length;
      await new Promise((r) => setTimeout(r, pauseMs));
      const r = await burstOnce(paths[p], concurrency, timeoutS);
      const sorted = [...r.ttfb].sort((a, b) => a - b);
      const pct = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q / 100 * sorted.length) - 1))] : NaN);
      process.stderr.write(`client: burst round ${round + 1} ${paths[p].name}: ${r.ttfb.length}/${concurrency} ok, ttfb p50 ${pct(50).toFixed(1)} ms p99 ${pct(99).toFixed(1)} ms, wall ${r.wall.toFixed(0)} ms ${JSON.stringify(r.failures)}\n`);
      out.paths[p].rounds.push(r);
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

// cpu: per path, --requests non-streaming chats one at a time (not interleaved: the CPU read
// around the block belongs to that path alone), after --warmup of its own.
async function cpu() {
  const requests = Number(arg('--requests', '1000'));
  const warmup = Number(arg('--warmup', '200'));
  const out = { mode: 'cpu', requests, paths: [] };
  for (const path of paths) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < warmup; i++) {
      await chat(agent, path, false, 30_000);
    }
    const before = cpuSeconds();
    const started = nowMs();
    for (let i = 0; i < requests; i++) {
      const r = await chat(agent, path, false, 30_000);
      if (r.status !== 200) {
        throw new Error(`${path.name}: status ${r.status} ${r.error || ''}`);
      }
    }
    const wall = nowMs() - started;
    out.paths.push({ name: path.name, wall, cpu: cpuSince(before) });
    agent.destroy();
    process.stderr.write(`client: cpu ${path.name}: ${requests} in ${wall.toFixed(0)} ms\n`);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

(mode === 'seq' ? seq() : mode === 'burst' ? burst() : mode === 'cpu' ? cpu() : Promise.reject(new Error('mode: seq | burst | cpu')))
  .catch((e) => {
    process.stderr.write(`client: ${e.stack || e}\n`);
    process.exit(1);
  });
