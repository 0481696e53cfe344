// The case list: filters (status, owner, subject search, order) as a plain GET form, a table, and paging links.

import { PAGE_SIZE, type CaseFilter, type CaseList, type Option } from './case-queries.js';
import { markup, type SafeHtml } from './html.js';
import { statusBadge, timeOf } from './layout.js';

export function listQuery(filter: CaseFilter, page: number): string {
  const q = new URLSearchParams();
  if (filter.status !== undefined) q.set('status', filter.status);
  if (filter.ownerId !== undefined) q.set('owner', filter.ownerId);
  if (filter.search !== '') q.set('q', filter.search);
  if (filter.sort !== 'newest') q.set('sort', filter.sort);
  if (page > 1) q.set('page', String(page));
  const text = q.toString();
  return text === '' ? '/console/cases' : `/console/cases?${text}`;
}

function select(id: string, name: string, label: string, options: Option[], chosen: string): SafeHtml {
  return markup`<div class="field">
    <label for="${id}">${label}</label>
    <select id="${id}" name="${name}">
      ${options.map((o) => markup`<option value="${o.value}" ${o.value === chosen ? markup` selected` : ''}>${o.label}</option>`)}
    </select>
  </div>`;
}

export function listBody(options: {
  filter: CaseFilter;
  list: CaseList;
  statuses: Option[];
  owners: Option[];
  viewerId: string;
}): SafeHtml {
  const { filter, list } = options;
  const statusOptions = [{ value: '', label: 'All statuses' }, ...options.statuses];
  const ownerOptions = [
    { value: '', label: 'Everyone' },
    { value: options.viewerId, label: 'Me' },
    ...options.owners.filter((o) => o.value !== options.viewerId),
  ];
  const first = list.total === 0 ? 0 : (list.page - 1) * PAGE_SIZE + 1;
  const last = (list.page - 1) * PAGE_SIZE + list.rows.length;
  const filtered = filter.status !== undefined || filter.ownerId !== undefined || filter.search !== '';
  return markup`<div class="page-head">
      <h1>Cases</h1>
      <p class="muted" id="case-count" role="status">
        ${
          list.total === 0
            ? 'No cases match.'
            : `Showing ${first}–${last} of ${list.total} case${list.total === 1 ? '' : 's'}`
        }
      </p>
    </div>
    <form class="filters" method="get" action="/console/cases" role="search" aria-label="Filter cases">
      ${select('filter-status', 'status', 'Status', statusOptions, filter.status ?? '')}
      ${select('filter-owner', 'owner', 'Owner', ownerOptions, filter.ownerId ?? '')}
      <div class="field field-grow">
        <label for="filter-q">Subject contains</label>
        <input id="filter-q" name="q" type="search" value="${filter.search}" placeholder="e.g. VPN" />
      </div>
      ${select(
        'filter-sort',
        'sort',
        'Order',
        [
          { value: 'newest', label: 'Newest first' },
          { value: 'modified', label: 'Recently modified' },
        ],
        filter.sort,
      )}
      <div class="field field-actions">
        <button type="submit" class="button button-primary">Apply</button>
        ${filtered ? markup`<a class="button button-quiet" href="/console/cases">Clear</a>` : ''}
      </div>
    </form>
    <div class="table-wrap">
      <table class="cases">
        <caption class="visually-hidden">
          Cases, ${filter.sort === 'modified' ? 'most recently modified' : 'newest'} first
        </caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Subject</th>
            <th scope="col">Status</th>
            <th scope="col">Owner</th>
            <th scope="col">Contact</th>
            <th scope="col">Last modified</th>
          </tr>
        </thead>
        <tbody>
          ${
            list.rows.length === 0
              ? markup`<tr>
                  <td colspan="6" class="empty">No cases match these filters.</td>
                </tr>`
              : list.rows.map(
                  (r) =>
                    markup`<tr>
                      <td class="nowrap"><a href="/console/cases/${r.id}">${r.caseNumber}</a></td>
                      <td>${r.subject || markup`<span class="muted">(no subject)</span>`}</td>
                      <td>${statusBadge(r.status, r.isClosed)}</td>
                      <td>
                        ${r.ownerId.startsWith('00G') ? markup`<span class="queue">Queue</span> ` : ''}${r.ownerName || r.ownerId}
                      </td>
                      <td>${r.contactName || markup`<span class="muted">—</span>`}</td>
                      <td class="nowrap">${timeOf(r.lastModified)}</td>
                    </tr>`,
                )
          }
        </tbody>
      </table>
    </div>
    ${
      list.pages > 1
        ? markup`<nav class="pager" aria-label="Pages">
            ${
              list.page > 1
                ? markup`<a class="button" href="${listQuery(filter, list.page - 1)}" rel="prev">← Previous</a>`
                : markup`<span class="button is-disabled" aria-disabled="true">← Previous</span>`
            }
            <span class="pager-info">Page ${list.page} of ${list.pages}</span>
            ${
              list.page < list.pages
                ? markup`<a class="button" href="${listQuery(filter, list.page + 1)}" rel="next">Next →</a>`
                : markup`<span class="button is-disabled" aria-disabled="true">Next →</span>`
            }
          </nav>`
        : ''
    }`;
}
