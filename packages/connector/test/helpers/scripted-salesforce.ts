// An in-process HTTP server that answers Salesforce-shaped responses from a script, for unit tests of the client
// (retries, re-login, drops) without the emulator. Also a token endpoint that counts logins.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A scripted answer: a response, or 'drop' (destroy the socket without answering). */
export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'drop';

export type Handler = (req: SeenRequest) => Answer;

export interface ScriptedSalesforce {
  url: string;
  seen: SeenRequest[];
  logins: () => number;
  /** answers for API calls; the token endpoint is built in */
  handle: (handler: Handler) => void;
  close: () => Promise<void>;
}

export async function startScriptedSalesforce(): Promise<ScriptedSalesforce> {
  const seen: SeenRequest[] = [];
  let logins = 0;
  let handler: Handler = () => ({ status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'no script' }] });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const url = req.url ?? '/';
      if (url === '/services/oauth2/token') {
        logins += 1;
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(
          JSON.stringify({
            access_token: `00D000000000001!tok${logins}`,
            instance_url: base,
            id: `${base}/id/00D000000000001AAA/005000000000001AAA`,
            token_type: 'Bearer',
          }),
        );
        return;
      }
      const request = { method: req.method ?? 'GET', url, authorization: req.headers.authorization, body };
      seen.push(request);
      const answer = handler(request);
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8', ...answer.headers });
      // a CSV answer (Bulk API results) is sent as it is
      const raw =
        typeof answer.body === 'string' && /^text\/csv/.test(answer.headers?.['content-type'] ?? '');
      res.end(answer.body === undefined ? '' : raw ? (answer.body as string) : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    logins: () => logins,
    handle: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
