#!/usr/bin/env node
// A small OpenAI-compatible upstream for the proxy-path benchmark: node's http module only, so
// neither end of the measurement is one of our own Kestrel processes. Answers
// POST /v1/chat/completions without and with `stream: true` (SSE: a few chunks, then [DONE]),
// GET /health and GET /v1/models. Listens on 127.0.0.1 only.
//
//   node upstream.js --port 5800 [--chunks 4] [--chunk-delay-ms 0] [--backlog 4096]
'use strict';

const http = require('node:http');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(arg('--port', process.env.PORT || '5800'));
const chunks = Number(arg('--chunks', '4'));
const chunkDelayMs = Number(arg('--chunk-delay-ms', '0'));
const backlog = Number(arg('--backlog', '4096'));
const model = arg('--model', 'node');

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1767225600,
  model,
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
});

function chunk(delta, finish) {
  return 'data: ' + JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1767225600,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  }) + '\n\n';
}

const streamParts = [chunk({ role: 'assistant', content: '' }, null)];
for (let i = 0; i < chunks; i++) {
  streamParts.push(chunk({ content: 'tok' + i + ' ' }, null));
}
streamParts.push(chunk({}, 'stop'));
streamParts.push('data: [DONE]\n\n');

function stream(res) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  let i = 0;
  const next = () => {
    // Headers go out with the first chunk (node sends them with the first write).
    while (i < streamParts.length) {
      res.write(streamParts[i++]);
      if (chunkDelayMs > 0 && i < streamParts.length) {
        setTimeout(next, chunkDelayMs);
        return;
      }
    }
    res.end();
  };
  next();
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 15 });
    res.end('{"status":"ok"}');
    return;
  }
  if (req.method === 'GET' && req.url === '/v1/models') {
    const body = JSON.stringify({ object: 'list', data: [{ id: model, object: 'model' }] });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (req.method === 'POST' && req.url.startsWith('/v1/chat/completions')) {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => {
      let wantsStream = false;
      try {
        wantsStream = JSON.parse(Buffer.concat(parts).toString('utf8')).stream === true;
      } catch {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end('{"error":{"message":"bad json"}}');
        return;
      }
      if (wantsStream) {
        stream(res);
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(completion) });
        res.end(completion);
      }
    });
    return;
  }
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end('{"error":{"message":"not found"}}');
});

// Keep-alive as long as the proxies keep their pooled connections; no per-server connection cap.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;
server.listen({ host: '127.0.0.1', port, backlog }, () => {
  console.log(`node upstream listening on 127.0.0.1:${port} (pid ${process.pid})`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
