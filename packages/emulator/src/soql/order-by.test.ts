// Multi-key ORDER BY: every key counts (ties on the first are broken by the next), each key has its own direction
// and NULLS FIRST/LAST (nulls first by default, https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm),
// and the keyset paging the connector does on (SystemModstamp, Id) visits every row once, in both directions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testOrg, type TestOrg } from '../org/test-fixtures.js';

/** six cases created in an order that no single key reproduces; returns their ids by letter */
function seed(t: TestOrg): Record<string, string> {
  const rows: [string, string | null, string | null][] = [
    ['A', 'Phone', 'b'],
    ['B', 'Web', 'a'],
    ['C', 'Phone', 'a'],
    ['D', 'Phone', null],
    ['E', null, 'c'],
    ['F', 'Web', 'a'],
  ];
  const ids: Record<string, string> = {};
  for (const [letter, origin, subject] of rows) {
    ids[letter] = t.org.create(t.agent, 'Case', { Origin: origin, Subject: subject, Description: letter });
  }
  return ids;
}

function letters(t: TestOrg, soql: string): string[] {
  return t.org.query(t.agent, soql).records.map((r) => String(r['Description']));
}

void test('ties on the first key are broken by the second, then by Id', () => {
  const t = testOrg();
  seed(t);
  assert.deepEqual(letters(t, 'SELECT Description FROM Case ORDER BY Origin, Subject, Id'), [
    'E', // null Origin first (the default)
    'D', // Phone, null Subject first
    'C', // Phone, a
    'A', // Phone, b
    'B', // Web, a (Id ascending breaks the tie with F)
    'F',
  ]);
});

void test('each key has its own direction and its own NULLS FIRST/LAST', () => {
  const t = testOrg();
  seed(t);
  assert.deepEqual(
    letters(
      t,
      'SELECT Description FROM Case ORDER BY Origin DESC NULLS LAST, Subject DESC NULLS LAST, Id DESC',
    ),
    ['F', 'B', 'A', 'C', 'D', 'E'],
  );
  assert.deepEqual(
    letters(t, 'SELECT Description FROM Case ORDER BY Origin NULLS LAST, Subject NULLS FIRST, Id DESC'),
    ['D', 'C', 'A', 'F', 'B', 'E'],
  );
  // DESC alone keeps nulls first (the documented default applies to either direction)
  assert.deepEqual(letters(t, 'SELECT Description FROM Case ORDER BY Subject DESC, Origin DESC, Id'), [
    'D',
    'E',
    'A',
    'B',
    'F',
    'C',
  ]);
});

/** pages of `size` by (SystemModstamp, Id) keyset, ascending or descending, as the connector reads */
function keysetWalk(t: TestOrg, size: number, desc: boolean): string[] {
  const seen: string[] = [];
  let after: { stamp: string; id: string } | undefined;
  const [cmp, dir] = desc ? ['<', 'DESC'] : ['>', 'ASC'];
  for (let guard = 0; guard < 50; guard++) {
    const where =
      after === undefined
        ? ''
        : `WHERE SystemModstamp ${cmp} ${after.stamp} OR (SystemModstamp = ${after.stamp} AND Id ${cmp} '${after.id}') `;
    const page = t.org.query(
      t.agent,
      `SELECT Id, SystemModstamp, Description FROM Case ${where}ORDER BY SystemModstamp ${dir}, Id ${dir} LIMIT ${size}`,
    ).records;
    if (page.length === 0) return seen;
    seen.push(...page.map((r) => String(r['Description'])));
    const last = page[page.length - 1] ?? {};
    after = { stamp: String(last['SystemModstamp']).replace('+0000', 'Z'), id: String(last['Id']) };
  }
  assert.fail('the keyset walk did not end');
}

void test('keyset paging on (SystemModstamp, Id) visits every row once, ascending and descending', () => {
  const t = testOrg();
  const ids = seed(t); // all six share one SystemModstamp
  t.clock.advance(60_000);
  t.org.update(t.agent, 'Case', ids['B'] ?? '', { Status: 'Working' });
  t.org.update(t.agent, 'Case', ids['E'] ?? '', { Status: 'Working' });
  // Ascending: the four untouched rows (one stamp, by Id), then B and E (a later stamp, by Id).
  assert.deepEqual(keysetWalk(t, 2, false), ['A', 'C', 'D', 'F', 'B', 'E']);
  assert.deepEqual(keysetWalk(t, 4, false), ['A', 'C', 'D', 'F', 'B', 'E']);
  // Descending: the same rows backwards; a page boundary inside the tie needs Id DESC to hold.
  assert.deepEqual(keysetWalk(t, 3, true), ['E', 'B', 'F', 'D', 'C', 'A']);
  assert.deepEqual(keysetWalk(t, 1, true), ['E', 'B', 'F', 'D', 'C', 'A']);
});
