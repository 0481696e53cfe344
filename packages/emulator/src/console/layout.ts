// The page frame every console page shares: one stylesheet and one script, both files (the CSP allows no inline
// code), a skip link, the top bar with the signed-in agent and a sign-out form, and the one-time flash message.

import { markup, type SafeHtml } from './html.js';
import type { Flash } from './sessions.js';

export interface Viewer {
  name: string;
  csrf: string;
}

export interface PageSpec {
  title: string;
  orgName: string;
  viewer: Viewer | undefined;
  flash?: Flash | undefined;
  body: SafeHtml;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-11-20T17:00:00.000+0000` → `20 Nov 2026, 17:00 UTC` inside a <time> element (empty for no value) */
export function timeOf(value: string): SafeHtml {
  const at = new Date(value.replace(/\+0000$/, 'Z'));
  if (value === '' || Number.isNaN(at.getTime())) return markup``;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const text =
    `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()] ?? ''} ${at.getUTCFullYear()}, ` +
    `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
  return markup`<time datetime="${at.toISOString()}">${text}</time>`;
}

/** the badge class of a status: a few well-known names get their own colour, every other open status one more */
export function statusBadge(status: string, isClosed: boolean): SafeHtml {
  const name = status.toLowerCase();
  const tone = isClosed
    ? 'closed'
    : name === 'new'
      ? 'new'
      : name.includes('escalat')
        ? 'escalated'
        : name.includes('waiting')
          ? 'waiting'
          : 'open';
  return markup`<span class="badge badge-${tone}">${status}</span>`;
}

export function page(spec: PageSpec): string {
  const viewer = spec.viewer;
  const flash = spec.flash;
  const out = markup`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${spec.title} · ${spec.orgName} · Service Console</title>
        <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="topbar">
          <div class="brand">
            <span class="brand-mark" aria-hidden="true"></span>Service Console
            <span class="org-name">${spec.orgName}</span>
          </div>
          ${
            viewer === undefined
              ? ''
              : markup`<nav aria-label="Main"><a href="/console/cases">Cases</a></nav>
                  <div class="viewer">
                    <span>Signed in as <strong>${viewer.name}</strong></span>
                    <form method="post" action="/console/logout">
                      <input type="hidden" name="csrf" value="${viewer.csrf}" />
                      <button type="submit" class="button button-quiet">Sign out</button>
                    </form>
                  </div>`
          }
        </header>
        <main id="main" tabindex="-1">
          ${
            flash === undefined
              ? ''
              : markup`<div
                  class="flash flash-${flash.kind}"
                  role="${flash.kind === 'error' ? 'alert' : 'status'}"
                >
                  ${flash.text}
                </div>`
          }
          ${spec.body}
        </main>
      </body>
    </html> `;
  return out.text;
}
