// One case: its fields, its comments in the order written (public and internal told apart in words, not only
// colour), a comment box with the visibility to choose, and a form to change status and owner.

import type { CaseComment, CaseDetail, Option } from './case-queries.js';
import { markup, type SafeHtml } from './html.js';
import { statusBadge, timeOf } from './layout.js';

/** How often the page's script asks for new comments. */
export const COMMENT_REFRESH_MS = 4000;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** the comments list; also served alone to the page's script, which swaps it in when `data-version` changes */
export function commentsFragment(caseId: string, comments: CaseComment[]): SafeHtml {
  const version = `${comments.length}:${comments[comments.length - 1]?.id ?? ''}`;
  return markup`<ol
    class="comments"
    id="comments"
    data-version="${version}"
    data-refresh-url="/console/cases/${caseId}/comments"
    data-refresh-ms="${COMMENT_REFRESH_MS}"
  >
    ${
      comments.length === 0
        ? markup`<li class="comment comment-none">No comments yet.</li>`
        : comments.map(
            (c) =>
              markup`<li
                class="comment ${c.isPublic ? 'comment-public' : 'comment-internal'}"
                id="comment-${c.id}"
              >
                <div class="comment-meta">
                  <span class="badge ${c.isPublic ? 'badge-public' : 'badge-internal'}"
                    >${c.isPublic ? 'Public' : 'Internal'}</span
                  >
                  <strong class="comment-author">${c.authorName || c.authorId}</strong>
                  ${timeOf(c.created)}
                </div>
                <p class="comment-body">${c.body}</p>
              </li>`,
          )
    }
  </ol>`;
}

function row(label: string, value: SafeHtml | string): SafeHtml {
  return markup`<div class="detail-row">
    <dt>${label}</dt>
    <dd>${value === '' ? markup`<span class="muted">—</span>` : value}</dd>
  </div>`;
}

function options(list: Option[], chosen: string): SafeHtml[] {
  return list.map(
    (o) =>
      markup`<option value="${o.value}" ${o.value === chosen ? markup` selected` : ''}>${o.label}</option>`,
  );
}

export function caseBody(options_: {
  detail: CaseDetail;
  comments: CaseComment[];
  statuses: Option[];
  owners: Option[];
  csrf: string;
}): SafeHtml {
  const { detail, comments, csrf } = options_;
  const r = detail.record;
  const id = str(r['Id']);
  const status = str(r['Status']);
  const ownerId = str(r['OwnerId']);
  const owners = options_.owners.some((o) => o.value === ownerId)
    ? options_.owners
    : [{ value: ownerId, label: detail.ownerName || ownerId }, ...options_.owners];
  const contact = detail.contactName
    ? markup`${detail.contactName}${detail.contactEmail ? markup`<br /><span class="muted">${detail.contactEmail}</span>` : ''}`
    : str(r['SuppliedName']) || str(r['SuppliedEmail'])
      ? markup`${str(r['SuppliedName'])} <span class="muted">${str(r['SuppliedEmail'])}</span>
          <span class="muted">(from email, no contact)</span>`
      : '';
  return markup`<nav class="breadcrumb" aria-label="Breadcrumb">
      <a href="/console/cases">Cases</a> <span aria-hidden="true">›</span>
      <span aria-current="page">${str(r['CaseNumber'])}</span>
    </nav>
    <div class="page-head case-head">
      <div>
        <p class="eyebrow">Case ${str(r['CaseNumber'])}</p>
        <h1>${str(r['Subject']) || '(no subject)'}</h1>
      </div>
      <div class="case-head-status">${statusBadge(status, r['IsClosed'] === true)}</div>
    </div>
    <div class="case-grid">
      <section class="panel" aria-labelledby="comments-title">
        <h2 id="comments-title">Comments</h2>
        <p class="muted small">
          Public comments are visible to the employee; internal notes only to agents. This list refreshes by
          itself.
        </p>
        <p id="comments-status" class="visually-hidden" role="status" aria-live="polite"></p>
        ${commentsFragment(id, comments)}
        ${
          detail.canComment
            ? markup`<form method="post" action="/console/cases/${id}/comments" class="comment-form stack">
                <input type="hidden" name="csrf" value="${csrf}" />
                <label for="comment-body">Add a comment</label>
                <textarea id="comment-body" name="body" rows="4" required maxlength="4000"></textarea>
                <fieldset class="visibility">
                  <legend>Visibility</legend>
                  <label class="choice"><input type="radio" name="visibility" value="public" /> Public: the employee sees it</label>
                  <label class="choice"><input type="radio" name="visibility" value="internal" checked /> Internal note: agents only</label>
                </fieldset>
                <div><button type="submit" class="button button-primary">Post comment</button></div>
              </form>`
            : markup`<p class="muted">You do not have permission to comment on cases.</p>`
        }
      </section>
      <aside class="side">
        <section class="panel" aria-labelledby="update-title">
          <h2 id="update-title">Update case</h2>
          ${
            detail.canEditStatus || detail.canEditOwner
              ? markup`<form method="post" action="/console/cases/${id}" class="stack">
                  <input type="hidden" name="csrf" value="${csrf}" />
                  ${
                    detail.canEditStatus
                      ? markup`<label for="case-status">Status</label>
                          <select id="case-status" name="status">
                            ${options(options_.statuses, status)}
                          </select>`
                      : ''
                  }
                  ${
                    detail.canEditOwner
                      ? markup`<label for="case-owner">Owner</label>
                          <select id="case-owner" name="owner">
                            ${options(owners, ownerId)}
                          </select>`
                      : ''
                  }
                  <div><button type="submit" class="button button-primary">Save</button></div>
                </form>`
              : markup`<p class="muted">You may not change this case.</p>`
          }
        </section>
        <section class="panel" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <dl class="details">
            ${row('Status', status)} ${row('Priority', str(r['Priority']))}
            ${row('Owner', markup`${ownerId.startsWith('00G') ? markup`<span class="queue">Queue</span> ` : ''}${detail.ownerName || ownerId}`)}
            ${row('Contact', contact)} ${row('Origin', str(r['Origin']))} ${row('Type', str(r['Type']))}
            ${row('Reason', str(r['Reason']))}
            ${row('Opened', markup`${timeOf(str(r['CreatedDate']))}${detail.createdByName ? markup`<br /><span class="muted">by ${detail.createdByName}</span>` : ''}`)}
            ${row('Last modified', markup`${timeOf(str(r['LastModifiedDate']))}${detail.lastModifiedByName ? markup`<br /><span class="muted">by ${detail.lastModifiedByName}</span>` : ''}`)}
            ${r['IsClosed'] === true ? row('Closed', timeOf(str(r['ClosedDate']))) : ''}
          </dl>
          <h3 class="description-title">Description</h3>
          <p class="description">${str(r['Description']) || markup`<span class="muted">No description.</span>`}</p>
        </section>
      </aside>
    </div>`;
}
