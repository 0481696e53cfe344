// The sign-in page: username and password of one of the org's users, protected by a double-submit token.

import { markup } from './html.js';
import { page } from './layout.js';

export function loginPage(options: {
  orgName: string;
  token: string;
  next: string;
  username?: string;
  error?: string;
}): string {
  const body = markup`<section class="login-card" aria-labelledby="login-title">
    <h1 id="login-title">Sign in</h1>
    <p class="muted">Sign in as one of the org's users to work on cases.</p>
    ${options.error === undefined ? '' : markup`<p class="form-error" role="alert" id="login-error">${options.error}</p>`}
    <form method="post" action="/console/login" class="stack">
      <input type="hidden" name="csrf" value="${options.token}" />
      <input type="hidden" name="next" value="${options.next}" />
      <label for="username">Username</label>
      <input
        id="username"
        name="username"
        type="text"
        autocomplete="username"
        required
        autofocus
        value="${options.username ?? ''}"
        ${options.error === undefined ? '' : markup` aria-describedby="login-error"`}
      />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit" class="button button-primary">Sign in</button>
    </form>
  </section>`;
  return page({ title: 'Sign in', orgName: options.orgName, viewer: undefined, body });
}
