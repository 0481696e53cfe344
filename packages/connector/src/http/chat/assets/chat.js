// @ts-check
/* global document, window, fetch, crypto, localStorage, EventSource, DOMParser */
// The web chat's only script, served as it is (no build step; the page's CSP allows no inline code). It signs the
// employee in (the session is an HttpOnly cookie the script never sees; embedded, the identity token comes from the
// host page by postMessage, accepted only from the tenant's allowlisted origins), talks to the conversation engine
// (POST /v1/conversation/messages), and shows live ticket notifications from /v1/events (server-sent events, which
// the browser resumes after a drop with Last-Event-ID). Text from the bot, agents or articles' snippets is only
// ever set as text; an article's body is HTML the server sanitized, inserted as such.

const root = document.documentElement;
const tenant = root.dataset['tenant'] ?? '';
const embedded = root.dataset['embedded'] === 'true';
/** @type {string[]} */
const origins = JSON.parse(root.dataset['origins'] ?? '[]');
const base = `/chat/${encodeURIComponent(tenant)}`;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const log = byId('log');
const main = byId('main');
const composer = /** @type {HTMLFormElement} */ (byId('composer'));
const input = /** @type {HTMLTextAreaElement} */ (byId('message'));
const statusLine = byId('status');
const who = byId('who');
const signOut = /** @type {HTMLButtonElement} */ (byId('sign-out'));
const replying = byId('replying');
const replyingText = byId('replying-text');

let csrf = '';
/** @type {{ contactId: string | null, name: string, email: string } | null} */
let employee = null;
/** @type {string | null} */
let replyTo = null;
/** @type {EventSource | null} */
let events = null;
const seen = new Set();

/**
 * Makes an element; strings among the children become text nodes, never markup.
 * @param {string} tag
 * @param {Record<string, string | boolean>} [attrs]
 * @param {(Node | string | null | undefined | false)[]} children
 * @returns {HTMLElement}
 */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false) continue;
    if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** @param {string} text */
const say = (text) => {
  statusLine.textContent = text;
};

function scrollDown() {
  main.scrollTop = main.scrollHeight;
}
// A reader at the bottom stays there when the window changes size (a phone's keyboard opening, a rotation).
let pinned = true;
main.addEventListener('scroll', () => {
  pinned = main.scrollHeight - main.scrollTop - main.clientHeight < 80;
});
window.addEventListener('resize', () => {
  if (pinned) scrollDown();
});

/** @param {HTMLElement} node */
function add(node) {
  log.append(node);
  scrollDown();
  return node;
}

class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {boolean} [idempotent] a write sent once per key (a retry of the same call reuses it)
 */
async function api(method, path, body, idempotent = false) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf !== '') headers['x-casebridge-csrf'] = csrf;
  if (idempotent) headers['idempotency-key'] = crypto.randomUUID();
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const data = text === '' ? {} : JSON.parse(text);
  if (!response.ok) {
    const error = data.error ?? {};
    throw new ApiError(response.status, error.code ?? 'UNKNOWN', error.message ?? `HTTP ${response.status}`);
  }
  return data;
}

/** @param {'me' | 'bot' | 'note'} kind @param {string} sender */
function bubble(kind, sender) {
  return el('div', { class: `msg ${kind}` }, el('span', { class: 'sender' }, sender));
}

/** @param {string} text */
const para = (text) => el('p', {}, text);

/** A snippet with its matched words marked, built from text slices only. */
function snippetOf(/** @type {{ snippet: string, marks: [number, number][] }} */ card) {
  const p = el('p', { class: 'snippet' });
  let at = 0;
  for (const [start, end] of card.marks) {
    if (start < at) continue;
    p.append(card.snippet.slice(at, start), el('mark', {}, card.snippet.slice(start, end)));
    at = end;
  }
  p.append(card.snippet.slice(at));
  return p;
}

/** @param {any} article */
function articleCard(article) {
  const body = el('div', { class: 'article-body', hidden: true, id: `article-${article.articleId}` });
  const read = /** @type {HTMLButtonElement} */ (
    el(
      'button',
      { type: 'button', class: 'quiet', 'aria-expanded': 'false', 'aria-controls': body.id },
      'Read here',
    )
  );
  read.addEventListener('click', async () => {
    const open = read.getAttribute('aria-expanded') === 'true';
    if (open) {
      body.hidden = true;
      read.setAttribute('aria-expanded', 'false');
      read.textContent = 'Read here';
      return;
    }
    if (body.childElementCount === 0) {
      read.disabled = true;
      try {
        const found = await api('GET', `${base}/articles/${encodeURIComponent(article.articleId)}`);
        // sanitized on the server (sanitize-html, http/chat/article-html.ts); the CSP runs no inline script
        const parsed = new DOMParser().parseFromString(found.html, 'text/html');
        body.append(...Array.from(parsed.body.childNodes));
      } catch (err) {
        body.append(para(err instanceof Error ? err.message : 'The article could not be loaded.'));
      } finally {
        read.disabled = false;
      }
    }
    body.hidden = false;
    read.setAttribute('aria-expanded', 'true');
    read.textContent = 'Hide article';
  });
  return el(
    'section',
    { class: 'card article', 'aria-label': `Article: ${article.title}` },
    el('h3', {}, article.title),
    article.section ? el('p', { class: 'section' }, article.section) : null,
    snippetOf(article),
    el(
      'div',
      { class: 'links' },
      read,
      article.link
        ? el(
            'a',
            { class: 'button quiet', href: article.link, target: '_blank', rel: 'noopener noreferrer' },
            'Open in knowledge base',
          )
        : null,
    ),
    body,
  );
}

/** @param {string} number @param {string | null} subject */
function startReply(number, subject) {
  replyTo = number;
  replyingText.textContent = `Replying to ticket ${number}${subject ? ` (${subject})` : ''}`;
  replying.hidden = false;
  input.placeholder = 'Your reply';
  input.focus();
}

function stopReply() {
  replyTo = null;
  replying.hidden = true;
  input.placeholder = 'Type your question';
}

/** @param {any} ticket @param {{ compact?: boolean }} [options] */
function ticketCard(ticket, options = {}) {
  const actions = el('div', { class: 'actions' });
  if (!ticket.isClosed) {
    const reply = el('button', { type: 'button', class: 'quiet' }, 'Reply');
    reply.addEventListener('click', () => startReply(ticket.number, ticket.subject));
    actions.append(reply);
  }
  if (options.compact) {
    const show = el('button', { type: 'button', class: 'quiet' }, 'Show');
    show.addEventListener('click', () =>
      send({ action: 'show-ticket', caseNumber: ticket.number }, `Show ticket ${ticket.number}`),
    );
    actions.append(show);
  }
  const comment = ticket.latestAgentComment;
  return el(
    'section',
    { class: 'card ticket', 'aria-label': `Ticket ${ticket.number}` },
    el(
      'div',
      { class: 'ticket-head' },
      el('h3', {}, ticket.subject ?? `Ticket ${ticket.number}`),
      el('span', { class: 'number' }, `#${ticket.number}`),
      el('span', { class: `badge ${ticket.state}` }, ticket.label),
    ),
    options.compact ? null : el('p', { class: 'meaning' }, ticket.meaning),
    comment ? el('p', { class: 'comment' }, el('span', { class: 'by' }, 'Support team'), comment.body) : null,
    actions.childElementCount > 0 ? actions : null,
  );
}

/** @param {any} draft */
function draftForm(draft) {
  const id = `draft-${crypto.randomUUID()}`;
  const subject = /** @type {HTMLInputElement} */ (
    el('input', { id: `${id}-subject`, value: draft.subject, maxlength: '255', required: true })
  );
  const description = /** @type {HTMLTextAreaElement} */ (
    el('textarea', { id: `${id}-description`, maxlength: '31000', required: true })
  );
  description.value = draft.description;
  const file = /** @type {HTMLButtonElement} */ (
    el('button', { type: 'submit', class: 'primary' }, 'File this ticket')
  );
  const cancel = /** @type {HTMLButtonElement} */ (
    el('button', { type: 'button', class: 'quiet' }, 'Cancel')
  );
  const form = /** @type {HTMLFormElement} */ (
    el(
      'form',
      { class: 'card draft', 'aria-label': 'Ticket to file' },
      el('label', { for: subject.id }, 'Subject'),
      subject,
      el('label', { for: description.id }, 'Description'),
      description,
      el('div', { class: 'actions' }, file, cancel),
    )
  );
  const done = () => {
    for (const control of [subject, description, file, cancel]) control.disabled = true;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    done();
    void send(
      { action: 'file-ticket', subject: subject.value, description: description.value },
      'File this ticket',
    );
  });
  cancel.addEventListener('click', () => {
    done();
    void send({ action: 'cancel' }, 'Cancel');
  });
  return form;
}

/** @param {any[]} actions */
function actionRow(actions) {
  const row = el('div', { class: 'actions' });
  for (const action of actions) {
    const button = /** @type {HTMLButtonElement} */ (
      el('button', { type: 'button', class: 'quiet' }, action.label)
    );
    button.addEventListener('click', () => {
      for (const b of row.querySelectorAll('button')) b.disabled = true;
      void send(
        { action: action.action, ...(action.caseNumber ? { caseNumber: action.caseNumber } : {}) },
        action.label,
      );
    });
    row.append(button);
  }
  return row;
}

/** @param {any[]} messages */
function botTurn(messages) {
  const node = bubble('bot', 'Assistant');
  // a draft's form has its own File and Cancel buttons: the same actions offered beside it would be said twice
  const drafted = messages.some((m) => m.type === 'draft');
  for (const message of messages) {
    switch (message.type) {
      case 'text':
        node.append(para(message.text));
        break;
      case 'articles':
        node.append(el('div', { class: 'cards' }, ...message.articles.map(articleCard)));
        break;
      case 'ticket':
        node.append(el('div', { class: 'cards' }, ticketCard(message.ticket)));
        break;
      case 'tickets':
        node.append(
          message.tickets.length === 0
            ? para('You have no tickets.')
            : el(
                'div',
                { class: 'cards' },
                ...message.tickets.map((/** @type {any} */ t) => ticketCard(t, { compact: true })),
              ),
        );
        break;
      case 'draft':
        node.append(draftForm(message.draft));
        break;
      case 'actions': {
        const offered = drafted
          ? message.actions.filter(
              (/** @type {any} */ a) => a.action !== 'file-ticket' && a.action !== 'cancel',
            )
          : message.actions;
        if (offered.length > 0) node.append(actionRow(offered));
        break;
      }
      default:
        break;
    }
  }
  return add(node);
}

/** @param {any} input */
function inputText(input) {
  if ('text' in input) return input.text;
  const names = /** @type {Record<string, string>} */ ({
    solved: 'It solved it',
    'not-solved': 'It did not help',
    'file-ticket': 'File this ticket',
    cancel: 'Cancel',
    'my-tickets': 'My tickets',
    'show-ticket': `Show ticket ${input.caseNumber ?? ''}`,
    'close-ticket': `Close ticket ${input.caseNumber ?? ''}`,
    'confirm-resolution': 'Yes, it is solved',
    'decline-resolution': 'No, it is not solved',
  });
  return names[input.action] ?? input.action;
}

/** @param {string} text */
function mine(text) {
  add(el('div', { class: 'msg me' }, el('span', { class: 'sender' }, 'You'), para(text)));
}

let sending = false;
/** @param {Record<string, unknown>} body @param {string} shown */
async function send(body, shown) {
  if (sending) return;
  sending = true;
  mine(shown);
  const typing = add(el('p', { class: 'typing', 'aria-hidden': 'true' }, 'The assistant is typing…'));
  try {
    const turn = await api('POST', '/v1/conversation/messages', body, true);
    typing.remove();
    botTurn(turn.messages);
  } catch (err) {
    typing.remove();
    if (err instanceof ApiError && err.status === 401) return signedOut('Your session ended.');
    const node = bubble('bot', 'Assistant');
    node.classList.add('error');
    node.append(para(err instanceof Error ? err.message : 'Something went wrong. Please try again.'));
    add(node);
  } finally {
    sending = false;
  }
}

const NOTICE = /** @type {Record<string, string>} */ ({
  'agent-comment': 'The support team wrote:',
  'waiting-for-employee': 'The support team is waiting for your answer.',
  resolved: 'The support team marked it solved. Did that fix it?',
  closed: 'Your ticket was closed.',
  'owner-changed': 'Someone new in the support team is looking after it.',
  'case-ended': 'This ticket no longer exists in the support system.',
  nudge: 'Reminder: the support team is still waiting for your answer.',
  'resolution-offer': 'I may have the answer already. Does one of these solve it?',
});

/** @param {any} event */
function notification(event) {
  const node = bubble('note', `Update on ticket ${event.caseNumber}`);
  node.dataset['event'] = event.eventId;
  node.append(
    el('div', { class: 'ticket-head' }, el('span', { class: `badge ${event.state}` }, event.label)),
    para(NOTICE[event.kind] ?? 'Your ticket changed.'),
  );
  if (event.comment)
    node.append(
      el('p', { class: 'comment' }, el('span', { class: 'by' }, 'Support team'), event.comment.body),
    );
  if (event.offer) node.append(el('div', { class: 'cards' }, ...event.offer.articles.map(articleCard)));
  const actions = [];
  if (event.kind === 'resolution-offer')
    actions.push(
      { action: 'confirm-resolution', label: 'Yes, close my ticket', caseNumber: event.caseNumber },
      { action: 'decline-resolution', label: 'No, I still need help', caseNumber: event.caseNumber },
    );
  if (event.kind === 'resolved')
    actions.push(
      { action: 'confirm-resolution', label: 'Yes, it is solved', caseNumber: event.caseNumber },
      { action: 'decline-resolution', label: 'No, it is not solved', caseNumber: event.caseNumber },
    );
  const row = actionRow(actions);
  if (event.state !== 'CLOSED' && event.kind !== 'case-ended') {
    const reply = el('button', { type: 'button', class: 'quiet' }, 'Reply');
    reply.addEventListener('click', () => startReply(event.caseNumber, null));
    row.append(reply);
  }
  if (row.childElementCount > 0) node.append(row);
  add(node);
}

/** Storage may be refused (a third-party frame under strict browser settings): the page then remembers in memory. */
const memory = new Map();
const remember = {
  /** @param {string} key */
  get(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return memory.get(key) ?? null;
    }
  },
  /** @param {string} key @param {string} value */
  set(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch {
      memory.set(key, value);
    }
  },
};

const seqKey = () => `casebridge:seq:${tenant}:${employee?.contactId ?? employee?.email ?? ''}`;

function connect() {
  events?.close();
  const after = Number(remember.get(seqKey()) ?? '0') || 0;
  events = new EventSource(`/v1/events?after=${after}`);
  events.addEventListener('ticket', (message) => {
    const event = JSON.parse(/** @type {MessageEvent} */ (message).data);
    if (seen.has(event.seq)) return;
    seen.add(event.seq);
    remember.set(seqKey(), String(event.seq));
    notification(event);
  });
  events.addEventListener('ready', () => say(''));
  events.addEventListener('error', () => {
    if (events?.readyState === EventSource.CLOSED)
      say('Live updates stopped. Reload the page to resume them.');
    else say('Reconnecting to live updates…');
  });
}

// A phone changing networks: the stream is dropped at once instead of hanging on a dead connection, and opened
// again when the network is back, from the last notification this page showed (nothing lost, nothing twice).
window.addEventListener('offline', () => {
  if (events === null) return;
  events.close();
  say('You are offline. Updates will arrive when the connection is back.');
});
window.addEventListener('online', () => {
  if (employee !== null) connect();
});

/** @param {string} [why] */
function signedOut(why) {
  events?.close();
  events = null;
  csrf = '';
  employee = null;
  composer.hidden = true;
  signOut.hidden = true;
  who.textContent = '';
  log.replaceChildren(
    el(
      'div',
      { class: 'signed-out' },
      el('h2', {}, why ?? 'You are signed out.'),
      para(
        embedded
          ? 'Reload this page to sign in again.'
          : 'Open the support chat from your intranet to sign in.',
      ),
    ),
  );
}

/** @param {any} session */
async function begin(session) {
  csrf = session.csrf;
  employee = session.employee;
  who.textContent = `Signed in as ${session.employee.name}`;
  signOut.hidden = false;
  composer.hidden = false;
  log.replaceChildren();
  say('');
  try {
    const history = await api('GET', '/v1/conversation?limit=30');
    /** @type {HTMLElement[]} */
    const shown = [];
    // a turn the bot began (input null) is a ticket notification the conversation keeps so a reply lands on its
    // case; the page shows notifications from the live feed (/v1/events), which replays only what it has not shown
    const turns = history.turns.filter((/** @type {any} */ turn) => turn.input !== null);
    for (const turn of turns) {
      if (turn.input) mine(inputText(turn.input));
      shown.push(botTurn(turn.messages));
    }
    // what earlier turns offered (a draft, buttons) was answered or let go: only the last turn's offer stays open
    for (const node of shown.slice(0, -1))
      for (const control of node.querySelectorAll(
        'form.draft input, form.draft textarea, form.draft button, .actions button',
      ))
        if (!control.closest('.card.ticket')) /** @type {HTMLButtonElement} */ (control).disabled = true;
    if (turns.length === 0) greet();
  } catch {
    greet();
  }
  connect();
  if (!embedded) input.focus();
}

function greet() {
  const first = (employee?.name ?? '').split(' ')[0] ?? '';
  botTurn([
    {
      type: 'text',
      text: `Hi${first ? ` ${first}` : ''}! I can find answers in the knowledge base, file a ticket for the support team and tell you here when they answer. What can I help with?`,
    },
    { type: 'actions', actions: [{ action: 'my-tickets', label: 'My tickets' }] },
  ]);
}

function waitForIdentity() {
  say('Signing you in…');
  window.addEventListener('message', async (event) => {
    // only the page this frame is embedded in, and only from an origin on the tenant's allowlist
    if (event.source !== window.parent || !origins.includes(event.origin)) return;
    const data = event.data;
    if (!data || data.type !== 'casebridge:identity' || typeof data.identityToken !== 'string') return;
    try {
      begin(await api('POST', `${base}/session`, { identityToken: data.identityToken, embedded: true }));
    } catch (err) {
      signedOut(err instanceof Error ? err.message : 'Signing in failed.');
    }
  });
  window.parent.postMessage({ type: 'casebridge:ready', tenant }, '*');
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text === '' || sending) return;
  input.value = '';
  grow();
  const body = replyTo === null ? { text } : { text, caseNumber: replyTo };
  stopReply();
  void send(body, text);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    composer.requestSubmit();
  }
  if (event.key === 'Escape' && replyTo !== null) stopReply();
});
function grow() {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
}
input.addEventListener('input', grow);
byId('replying-cancel').addEventListener('click', () => {
  stopReply();
  input.focus();
});
signOut.addEventListener('click', async () => {
  try {
    await api('POST', `${base}/sign-out`);
  } finally {
    signedOut();
  }
});

async function start() {
  try {
    await begin(await api('GET', `${base}/session`));
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) return signedOut('The chat could not start.');
    if (embedded && window.parent !== window) waitForIdentity();
    else signedOut();
  }
}
void start();
