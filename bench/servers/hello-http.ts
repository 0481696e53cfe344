// Baseline server: a bare node:http hello-world (GET returns a small JSON body, POST echoes an id), on 127.0.0.1.

import { createServer } from 'node:http';
import { reportFailure, serveProbe } from '../lib/child-server.js';

const BODY = JSON.stringify({ hello: 'world' });
let created = 0;

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      created += 1;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: String(created), success: true, errors: [] }));
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(BODY);
});
server.keepAliveTimeout = 60_000;
server.on('error', reportFailure);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') reportFailure(new Error('no TCP address'));
  serveProbe(
    { url: `http://127.0.0.1:${address.port}` },
    () => new Promise((resolve) => server.close(() => resolve())),
  );
});
