// A webhook receiver on 127.0.0.1 (port 0) written the way docs/webhooks.md tells receivers to: it verifies the
// signature with the secrets it holds, then deduplicates on Casebridge-Event-Id. Each request's fate is chosen by
// the test (answer, fail with 503, answer too late, or accept and drop the connection).

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { verifyWebhook } from '../../src/notify/webhook/signature.js';

export type Fate =
  | { kind: 'answer'; status: number; headers?: Record<string, string> }
  /** processes the event, then answers only after `ms` (longer than the sender waits) */
  | { kind: 'slow'; ms: number }
  /** processes the event, then destroys the socket without answering */
  | { kind: 'drop' };

export interface ReceivedRequest {
  eventId: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  /** the signature verified with the secrets the receiver held at that moment */
  verified: boolean;
  /** first time this event id was accepted (the receiver acted on it) */
  firstTime: boolean;
  /** the sender's port on its end of the connection (tells which local process sent it) */
  remotePort: number | undefined;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  /** every request, in arrival order */
  readonly requests: ReceivedRequest[];
  /** event ids the receiver acted on, in the order it acted, once each */
  readonly accepted: string[];
  /** the secrets the receiver verifies with; change them to model a receiver deploy */
  secrets: string[];
  /** decides each verified request's fate; default: 204 */
  fate: (request: ReceivedRequest) => Fate;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: {
  secrets: string[];
  nowSeconds: () => number;
  path?: string;
}): Promise<WebhookReceiver> {
  const seen = new Set<string>();
  const receiver: Omit<WebhookReceiver, 'url' | 'port' | 'close'> = {
    requests: [],
    accepted: [],
    secrets: options.secrets,
    fate: () => ({ kind: 'answer', status: 204 }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string): string | undefined => {
        const value = req.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const eventId = header('casebridge-event-id');
      const verified = verifyWebhook({
        body,
        timestamp: header('casebridge-timestamp'),
        signature: header('casebridge-signature'),
        secrets: receiver.secrets,
        nowSeconds: options.nowSeconds(),
      }).ok;
      const firstTime = verified && eventId !== undefined && !seen.has(eventId);
      const request: ReceivedRequest = {
        eventId,
        headers: req.headers,
        body,
        verified,
        firstTime,
        remotePort: req.socket.remotePort,
      };
      receiver.requests.push(request);
      if (!verified) {
        res.writeHead(401).end();
        return;
      }
      const fate = receiver.fate(request);
      // a verified event is acted on before answering, so a lost answer means a re-send of something done
      const act = (): void => {
        if (eventId !== undefined && !seen.has(eventId)) {
          seen.add(eventId);
          receiver.accepted.push(eventId);
        }
      };
      switch (fate.kind) {
        case 'answer':
          if (fate.status >= 200 && fate.status < 300) act();
          res.writeHead(fate.status, fate.headers ?? {}).end();
          return;
        case 'slow': {
          act();
          const timer = setTimeout(() => res.writeHead(204).end(), fate.ms);
          res.on('close', () => clearTimeout(timer));
          return;
        }
        case 'drop':
          act();
          req.socket.destroy();
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    port,
    url: `http://127.0.0.1:${port}${options.path ?? '/casebridge/events'}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
