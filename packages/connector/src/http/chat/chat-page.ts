// The chat page's HTML: a shell the script (assets/chat.js) fills. No inline script or style, so the CSP can forbid
// both; the tenant and its embedding origins travel as data attributes, escaped.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export interface ChatPageInput {
  tenant: string;
  tenantName: string;
  embedded: boolean;
  allowedOrigins: readonly string[];
  /** appended to asset URLs so a new release is never served from an old cache */
  version: string;
}

export function chatPage(input: ChatPageInput): string {
  const v = encodeURIComponent(input.version);
  return `<!doctype html>
<html lang="en" data-tenant="${escapeHtml(input.tenant)}" data-embedded="${String(input.embedded)}" data-origins="${escapeHtml(JSON.stringify(input.allowedOrigins))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Support chat · ${escapeHtml(input.tenantName)}</title>
<link rel="icon" href="/chat/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/chat/assets/chat.css?v=${v}">
<script type="module" src="/chat/assets/chat.js?v=${v}"></script>
</head>
<body class="${input.embedded ? 'embedded' : 'standalone'}">
<div class="app">
<header class="bar">
<h1><span class="logo" aria-hidden="true"></span>Support</h1>
<p class="who" id="who"></p>
<button type="button" class="quiet" id="sign-out" hidden>Sign out</button>
</header>
<main class="main" id="main">
<div class="log" id="log" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation with the support assistant" tabindex="0"></div>
</main>
<form class="composer" id="composer" hidden>
<p class="replying" id="replying" hidden><span id="replying-text"></span> <button type="button" class="quiet" id="replying-cancel">Cancel</button></p>
<div class="row">
<label for="message" class="visually-hidden">Your message</label>
<textarea id="message" name="message" rows="1" maxlength="4000" autocomplete="off" placeholder="Type your question" required></textarea>
<button type="submit" class="send" id="send">Send</button>
</div>
</form>
<p class="status" id="status" role="status"></p>
</div>
<noscript><p class="status">The support chat needs JavaScript.</p></noscript>
</body>
</html>
`;
}

export function notFoundPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>No such chat</title><link rel="stylesheet" href="/chat/assets/chat.css"></head>
<body class="standalone"><main class="app"><h1>No such chat</h1><p class="status">Check the address you were given.</p></main></body></html>
`;
}
