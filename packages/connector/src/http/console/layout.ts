// The frame every console page shares: one stylesheet and one script, both files (the CSP allows no inline code),
// a skip link, the navigation with the current page marked, a light/dark switch, and formatting helpers.

import { markup, type Part, type SafeHtml } from './html.js';

export const CONSOLE_PAGES = [
  { path: '/console', label: 'Tenants' },
  { path: '/console/knowledge', label: 'Knowledge' },
  { path: '/console/monitoring', label: 'Ticket monitoring' },
  { path: '/console/usage', label: 'API usage' },
  { path: '/console/outbox', label: 'Outbox' },
  { path: '/console/funnel', label: 'Resolution funnel' },
  { path: '/console/audit', label: 'Audit log' },
] as const;

export interface PageSpec {
  title: string;
  /** the nav entry to mark as current (none on the sign-in and error pages) */
  current?: string;
  /** the session's form token; absent when nobody is signed in */
  csrf?: string;
  body: SafeHtml;
  /** extra scripts (files under /console/assets or /console/vendor) */
  scripts?: string[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** an ISO time as `2 Dec 2026, 04:10 UTC` in a <time> element; "never" for none */
export function timeOf(value: string | null | undefined): SafeHtml {
  if (value === null || value === undefined || value === '') return markup`<span class="muted">never</span>`;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return markup`${value}`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const text =
    `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()] ?? ''} ${at.getUTCFullYear()}, ` +
    `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} UTC`;
  return markup`<time datetime="${at.toISOString()}">${text}</time>`;
}

/** a duration in words: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h` */
export function durationOf(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function badge(tone: 'ok' | 'warn' | 'fail' | 'info', text: Part): SafeHtml {
  return markup`<span class="badge badge-${tone}">${text}</span>`;
}

export function page(spec: PageSpec): string {
  const nav =
    spec.csrf !== undefined
      ? markup`<nav aria-label="Console sections">
        <ul>
          ${CONSOLE_PAGES.map(
            (entry) =>
              markup`<li><a href="${entry.path}" ${entry.path === spec.current ? markup`aria-current="page"` : ''}>${entry.label}</a></li>`,
          )}
        </ul>
      </nav>`
      : '';
  return markup`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>${spec.title} · casebridge console</title>
    <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/console/assets/console.css" />
    <script src="/console/assets/console.js" defer></script>
    ${(spec.scripts ?? []).map((src) => markup`<script src="${src}" defer></script>`)}
  </head>
  <body>
    <a class="skip-link" href="#main">Skip to main content</a>
    <header class="topbar">
      <div class="brand"><span class="brand-mark" aria-hidden="true"></span>casebridge console</div>
      ${nav}
      <div class="topbar-tools">
        <button type="button" class="button button-quiet" id="theme-toggle" aria-pressed="false" hidden>
          Dark theme
        </button>
        ${
          spec.csrf !== undefined
            ? markup`<form method="post" action="/console/logout"><input type="hidden" name="csrf" value="${spec.csrf}" /><button type="submit" class="button button-quiet">Sign out</button></form>`
            : ''
        }
      </div>
    </header>
    <main id="main" tabindex="-1">
      <h1>${spec.title}</h1>
      ${spec.body}
    </main>
  </body>
</html>
`.text;
}
