// The seam where casebridge sees every HTTP attempt jsforce makes. jsforce 3.10.16's HttpApi sends through
// `options.transport || conn._transport` (lib/http-api.js), so `conn.request(req, { transport })` routes one call
// through this wrapper. It delegates to jsforce's own Transport with retries switched off (lib/request.js retries
// GET/PUT/DELETE on 420/429/5xx and socket errors up to 5 times, invisibly), so one httpRequest here is exactly
// one HTTP exchange, and our retry layer (salesforce-client.ts) is the only one.

import type { Connection, HttpRequest, HttpResponse, StreamPromise } from 'jsforce';

/** What one exchange produced, read by the client after jsforce returns or throws. */
export interface ObservedExchange {
  method: string;
  url: string;
  response: { status: number; headers: Record<string, string>; body: string } | null;
  networkError: { code: string; message: string } | null;
}

type HttpRequestOptions = Parameters<Connection['_transport']['httpRequest']>[1];

/** jsforce's fetch layer never retries what it gets through here (methods: [] short-circuits shouldRetryRequest). */
const NO_RETRY = { maxRetries: 0, methods: [], statusCodes: [], errorCodes: [] };

export class ObservingTransport {
  observed: ObservedExchange | null = null;

  constructor(
    private readonly conn: Connection,
    private readonly timeoutMs: number,
  ) {}

  httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    const exchange: ObservedExchange = {
      method: req.method,
      url: req.url,
      response: null,
      networkError: null,
    };
    this.observed = exchange;
    const sent = this.conn._transport.httpRequest(req, {
      ...options,
      retry: NO_RETRY,
      timeout: this.timeoutMs,
    });
    void sent.then(
      (res) => {
        exchange.response = {
          status: res.statusCode,
          headers: res.headers,
          body: typeof res.body === 'string' ? res.body : '',
        };
      },
      (err: unknown) => {
        exchange.networkError = networkErrorOf(err);
      },
    );
    return sent;
  }
}

/** node-fetch FetchError carries `code` (ECONNRESET...); messages may quote the URL, so only the code is kept. */
export function networkErrorOf(err: unknown): { code: string; message: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const errno = (err as { errno?: unknown }).errno;
    const name = typeof code === 'string' ? code : typeof errno === 'string' ? errno : err.name;
    const reason =
      /socket hang up|ECONNRESET|ECONNREFUSED|timeout|aborted/i.exec(err.message)?.[0] ?? err.name;
    return { code: name, message: reason };
  }
  return { code: 'UNKNOWN', message: 'unknown network error' };
}
