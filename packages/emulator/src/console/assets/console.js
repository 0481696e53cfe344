// The agent console's only script (served as a file: the page's CSP allows no inline code). It refreshes the
// comments of the open case every few seconds, so an employee's reply appears without a reload. The list arrives
// as HTML the server already escaped; it is parsed inert (DOMParser runs no script) and swapped in only when its
// version changed, so focus and a half-written comment elsewhere on the page are left alone.
/* global document, window, fetch, DOMParser */
(function () {
  'use strict';
  var list = document.getElementById('comments');
  if (!list) return;
  var url = list.getAttribute('data-refresh-url');
  var every = Number(list.getAttribute('data-refresh-ms')) || 4000;
  var status = document.getElementById('comments-status');
  var busy = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function refresh() {
    if (busy || document.hidden || !url) return;
    busy = true;
    fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'text/html' } })
      .then(function (res) {
        if (res.status === 401) {
          say('Your session ended. Reload the page to sign in again.');
          return undefined;
        }
        return res.ok ? res.text() : undefined;
      })
      .then(function (text) {
        if (text === undefined) return;
        var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById('comments');
        var current = document.getElementById('comments');
        if (!fresh || !current) return;
        if (fresh.getAttribute('data-version') === current.getAttribute('data-version')) return;
        var added = fresh.querySelectorAll('li[id]').length - current.querySelectorAll('li[id]').length;
        current.replaceWith(document.importNode(fresh, true));
        if (added > 0) say(added === 1 ? '1 new comment' : added + ' new comments');
      })
      .catch(function () {
        // A missed refresh (emulator restarting, network blip) is retried on the next tick.
      })
      .finally(function () {
        busy = false;
      });
  }

  window.setInterval(refresh, every);
})();
