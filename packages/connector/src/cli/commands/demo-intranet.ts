// The demo's stand-in for an operator's intranet: a page on its own origin (`localhost`, while casebridge's chat is
// on 127.0.0.1, so the embedded chat is really cross-site) that knows who is signed in and signs identity tokens
// for them, as the operator's own portal would. It lists the seeded org's employees so a visitor can switch and
// see that each one sees only their own tickets; it embeds the widget with one script tag; and it opens the
// stand-alone chat by posting a fresh identity token (in a form body, never a URL) to casebridge.

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SignJWT } from 'jose';

import { escapeHtml } from '../../http/chat/chat-page.js';

export interface DemoEmployee {
  name: string;
  email: string;
  department: string | null;
}

export interface DemoIntranet {
  /** http://localhost:<port> */
  origin: string;
  /** the issuer, audience and public key casebridge checks this intranet's tokens with */
  identity: { issuer: string; audience: string; publicKeyPem: string };
  /** the stand-alone chat, signed in as this employee (a page of the intranet that signs them in) */
  chatUrlFor(email: string): string;
  close(): Promise<void>;
}

export interface DemoIntranetOptions {
  tenant: string;
  /** casebridge's bot API listener, where the chat is served */
  chatBaseUrl: string;
  employees: readonly DemoEmployee[];
  port?: number;
}

const ISSUER = 'https://intranet.demo.casebridge.invalid';
const COOKIE = 'demo_employee';

const SUBMIT_JS = `// Submits the sign-in form at once (the button is there for a browser without scripts).
document.getElementById('sign-in')?.submit();
`;

const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#eef1f6;color:#18202e}
header{background:#233043;color:#fff;padding:14px 24px}header h1{margin:0;font-size:1.2rem}
main{max-width:760px;margin:24px auto;padding:0 16px}section{background:#fff;border-radius:12px;padding:16px 20px;margin-bottom:16px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #d5dbe5}
a{color:#1d4ed8}.current{font-weight:700}
@media (prefers-color-scheme:dark){body{background:#0f141c;color:#e8edf5}section{background:#171e29}a{color:#8fb0ff}td,th{border-color:#2c3646}}
`;

function cookieOf(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

interface Extra {
  /** the page loads the widget or posts to the chat: its CSP names casebridge's origin */
  chatOrigin?: string;
  cookie?: string;
}

function send(response: ServerResponse, status: number, type: string, body: string, extra: Extra = {}): void {
  const chat = extra.chatOrigin ?? '';
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': [
      "default-src 'none'",
      `script-src 'self' ${chat}`.trim(),
      "style-src 'self'",
      "connect-src 'self'",
      `frame-src ${chat || "'none'"}`,
      `form-action 'self' ${chat}`.trim(),
      "img-src 'self'",
    ].join('; '),
    ...(extra.cookie === undefined ? {} : { 'set-cookie': extra.cookie }),
  });
  response.end(body);
}

export async function startDemoIntranet(options: DemoIntranetOptions): Promise<DemoIntranet> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const audience = `casebridge:${options.tenant}`;
  const chatOrigin = new URL(options.chatBaseUrl).origin;
  const known = new Map(options.employees.map((e) => [e.email, e]));
  const sign = (email: string): Promise<string> => {
    const employee = known.get(email);
    return new SignJWT({ ...(employee ? { name: employee.name } : {}) })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setSubject(email)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  };
  let origin = '';
  const page = (title: string, body: string, scripts: string[] = []): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/intranet.css">${scripts.join('')}</head>
<body><header><h1>Example Corp intranet (casebridge demo)</h1></header><main>${body}</main></body></html>`;

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', origin);
      const current =
        known.get(url.searchParams.get('as') ?? '') ??
        known.get(cookieOf(request) ?? '') ??
        options.employees[0];
      if (url.pathname === '/favicon.ico') return send(response, 204, 'image/x-icon', '');
      if (url.pathname === '/intranet.css') return send(response, 200, 'text/css', CSS);
      if (url.pathname === '/submit.js') return send(response, 200, 'text/javascript', SUBMIT_JS);
      if (url.pathname === '/identity') {
        if (current === undefined) return send(response, 404, 'application/json', '{}');
        return send(
          response,
          200,
          'application/json',
          JSON.stringify({ identityToken: await sign(current.email) }),
        );
      }
      if (url.pathname === '/open' && current !== undefined) {
        const token = await sign(current.email);
        const action = `${options.chatBaseUrl}/chat/${encodeURIComponent(options.tenant)}/session`;
        return send(
          response,
          200,
          'text/html; charset=utf-8',
          page(
            'Opening the support chat',
            `<section><form id="sign-in" method="post" action="${escapeHtml(action)}">
<input type="hidden" name="identityToken" value="${escapeHtml(token)}">
<p>Opening the support chat as ${escapeHtml(current.name)}…</p><button type="submit">Continue</button></form></section>`,
            ['<script src="/submit.js" defer></script>'],
          ),
          { chatOrigin },
        );
      }
      if (url.pathname === '/') {
        const rows = options.employees
          .map(
            (
              e,
            ) => `<tr${e.email === current?.email ? ' class="current"' : ''}><td>${escapeHtml(e.name)}</td><td>${escapeHtml(e.department ?? '')}</td>
<td><a href="/?as=${encodeURIComponent(e.email)}">use the widget as ${escapeHtml(e.name.split(' ')[0] ?? e.name)}</a></td>
<td><a href="/open?as=${encodeURIComponent(e.email)}">open the chat page</a></td></tr>`,
          )
          .join('\n');
        const cookie =
          current === undefined
            ? {}
            : { cookie: `${COOKIE}=${encodeURIComponent(current.email)}; Path=/; HttpOnly; SameSite=Lax` };
        return send(
          response,
          200,
          'text/html; charset=utf-8',
          page(
            'Example Corp intranet',
            `<section><h2>Welcome, ${escapeHtml(current?.name ?? 'guest')}</h2>
<p>The support chat button at the bottom right is casebridge's widget: one script tag on this page. It opens the
chat on casebridge's own origin and hands it your identity, signed by this intranet.</p></section>
<section><h2>Switch employee</h2><p>Each employee sees only their own tickets.</p>
<table><thead><tr><th scope="col">Employee</th><th scope="col">Department</th><th scope="col">Widget</th><th scope="col">Stand-alone chat</th></tr></thead><tbody>
${rows}</tbody></table></section>`,
            [
              `<script src="${escapeHtml(chatOrigin)}/chat/assets/widget.js" data-tenant="${escapeHtml(options.tenant)}" data-identity-url="/identity" defer></script>`,
            ],
          ),
          { chatOrigin, ...cookie },
        );
      }
      send(response, 404, 'text/plain', 'not found');
    })().catch(() => send(response, 500, 'text/plain', 'error'));
  });
  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen(options.port ?? 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    await listen(0);
  }
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    identity: {
      issuer: ISSUER,
      audience,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
    chatUrlFor: (email) => `${origin}/open?as=${encodeURIComponent(email)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
