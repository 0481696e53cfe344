// The console's one script (served as a file: the CSP allows no inline code). The pages work without it; it adds
// the light/dark switch (remembered in this browser) on top of the system preference.
/* global document, window, CustomEvent */
(function () {
  'use strict';
  var root = document.documentElement;
  var KEY = 'casebridge-console-theme';
  var saved = null;
  try {
    saved = window.localStorage.getItem(KEY);
  } catch (err) {
    saved = null;
  }
  if (saved === 'dark' || saved === 'light') root.setAttribute('data-theme', saved);

  function current() {
    var chosen = root.getAttribute('data-theme');
    if (chosen === 'dark' || chosen === 'light') return chosen;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('theme-toggle');
    if (!button) return;
    var show = function () {
      var dark = current() === 'dark';
      button.setAttribute('aria-pressed', dark ? 'true' : 'false');
      button.textContent = 'Dark theme';
    };
    button.hidden = false;
    show();
    button.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try {
        window.localStorage.setItem(KEY, next);
      } catch (err) {
        /* private mode: the choice lasts for this page only */
      }
      show();
      document.dispatchEvent(new CustomEvent('console-theme'));
    });
  });
})();
