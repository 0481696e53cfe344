// @ts-check
/* global document, window, fetch */
// The embeddable support chat: one script tag on an intranet page,
//   <script src="https://casebridge.example.com/chat/assets/widget.js" data-tenant="acme"
//           data-identity-url="/casebridge-identity" defer></script>
// adds a "Support chat" button that opens the chat in an iframe on casebridge's own origin. When the chat asks for
// an identity, the widget fetches a freshly signed identity token from the host's own `data-identity-url` (same
// origin as the host page, with its cookies; it answers `{ "identityToken": "..." }`) and hands it to the frame by
// postMessage, addressed to casebridge's origin only. The chat accepts it only from the tenant's allowlisted
// origins, and its frame-ancestors policy lets only those pages frame it.
(() => {
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  if (script === null) return;
  const tenant = script.dataset['tenant'] ?? '';
  const identityUrl = script.dataset['identityUrl'] ?? '';
  const label = script.dataset['label'] ?? 'Support chat';
  const chatOrigin = new URL(script.src).origin;

  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'casebridge-chat');
  Object.assign(button.style, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    zIndex: '2147483000',
    padding: '12px 20px',
    borderRadius: '999px',
    border: '0',
    background: '#1d4ed8',
    color: '#fff',
    font: '600 16px system-ui, sans-serif',
    boxShadow: '0 4px 14px rgba(0,0,0,.25)',
    cursor: 'pointer',
  });
  const panel = document.createElement('div');
  panel.id = 'casebridge-chat';
  panel.hidden = true;
  Object.assign(panel.style, {
    position: 'fixed',
    right: '20px',
    bottom: '76px',
    zIndex: '2147483000',
    width: 'min(400px, calc(100vw - 24px))',
    height: 'min(620px, calc(100vh - 100px))',
    borderRadius: '14px',
    overflow: 'hidden',
    boxShadow: '0 10px 40px rgba(0,0,0,.3)',
    background: '#fff',
  });
  /** @type {HTMLIFrameElement | null} */
  let frame = null;

  async function handOver() {
    if (frame?.contentWindow == null) return;
    const response = await fetch(identityUrl, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) return;
    const { identityToken } = await response.json();
    frame.contentWindow.postMessage({ type: 'casebridge:identity', identityToken }, chatOrigin);
  }

  window.addEventListener('message', (event) => {
    if (event.origin !== chatOrigin || frame === null || event.source !== frame.contentWindow) return;
    if (event.data && event.data.type === 'casebridge:ready') void handOver();
  });

  button.addEventListener('click', () => {
    const open = panel.hidden;
    if (open && frame === null) {
      frame = document.createElement('iframe');
      frame.title = label;
      frame.src = `${chatOrigin}/chat/${encodeURIComponent(tenant)}/?embed=1`;
      Object.assign(frame.style, { width: '100%', height: '100%', border: '0' });
      panel.append(frame);
    }
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? `Close ${label.toLowerCase()}` : label;
    if (open) frame?.focus();
  });
  document.body.append(panel, button);
})();
