#!/usr/bin/env node
// A fast webhook receiver for the benchmarks, in its own process so it never shares the
// event loop of what it measures. Prints its port. `fail-once`: each webhook-id's first
// POST gets 500, later ones 204; otherwise every POST gets 204.
import { createServer } from 'node:http';

const failOnce = process.argv[2] === 'fail-once';
const seen = new Set<string>();
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const id = String(request.headers['webhook-id']);
    const first = !seen.has(id);
    seen.add(id);
    response.writeHead(failOnce && first ? 500 : 204);
    response.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
