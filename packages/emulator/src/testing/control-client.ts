// A small client for the control plane, for tests and scripts that drive the emulator from outside: every call
// carries the bearer token, and a non-2xx answer throws with the emulator's message so a broken setup step never
// passes silently. Over HTTPS it trusts the emulator's own certificate (and nothing else extra).

import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface ControlEndpoint {
  controlUrl: string;
  controlToken: string;
  /** the emulator's TLS certificate when it serves HTTPS (StartedEmulator.tlsCertificatePath) */
  tlsCertificatePath?: string | undefined;
}

export type ControlCall = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

interface Answer {
  status: number;
  text: string;
}

/** one HTTPS request trusting `ca` (Node's fetch takes no CA of its own) */
function httpsCall(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  ca: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function controlClient(endpoint: ControlEndpoint): ControlCall {
  const ca =
    endpoint.tlsCertificatePath !== undefined && endpoint.controlUrl.startsWith('https:')
      ? readFileSync(endpoint.tlsCertificatePath, 'utf8')
      : undefined;
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const url = `${endpoint.controlUrl}${path}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${endpoint.controlToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let answer: Answer;
    if (ca !== undefined) {
      answer = await httpsCall(url, method, headers, payload, ca);
    } else {
      const res = await fetch(url, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
      answer = { status: res.status, text: await res.text() };
    }
    if (answer.status < 200 || answer.status >= 300)
      throw new Error(`control ${method} ${path} → ${answer.status} ${answer.text}`);
    return (answer.text === '' ? undefined : JSON.parse(answer.text)) as T;
  };
}
