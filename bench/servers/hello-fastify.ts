// Baseline server: a bare Fastify 5 app (logger off, as the emulator runs it) with a GET hello route and a JSON POST route, on 127.0.0.1.

import Fastify from 'fastify';
import { reportFailure, serveProbe } from '../lib/child-server.js';

const app = Fastify({ logger: false });
let created = 0;
app.get('/hello', () => ({ hello: 'world' }));
app.post('/hello', async (_request, reply) => {
  created += 1;
  return reply.code(201).send({ id: String(created), success: true, errors: [] });
});

try {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  serveProbe({ url: `http://127.0.0.1:${address.port}` }, () => app.close());
} catch (err) {
  reportFailure(err);
}
