import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cursorWithin, roundHorizon, splitAtHorizon } from './round-horizon.js';

const at = (s: number): string => new Date(Date.UTC(2026, 11, 1, 9, 0, s)).toISOString();

test('the horizon is where the earliest continuing stream stopped; none continuing: no horizon', () => {
  assert.equal(roundHorizon([]), null);
  assert.deepEqual(
    roundHorizon([
      { modstamp: at(30), id: 'b' },
      { modstamp: at(10), id: 'z' },
    ]),
    { modstamp: at(10), id: 'z' },
  );
});

test('events after the horizon are held for a later round, ties ordered by id as the stream reads them', () => {
  const horizon = { modstamp: at(10), id: '00a2' };
  const events = [
    { modstamp: at(5), id: '500a', name: 'case before' },
    { modstamp: at(10), id: '00a1', name: 'comment at the horizon' },
    { modstamp: at(10), id: '500b', name: 'tie after the horizon id' },
    { modstamp: at(20), id: '500c', name: 'status change later' },
  ];
  const { ready, held } = splitAtHorizon(events, horizon);
  assert.deepEqual(
    ready.map((e) => e.name),
    ['case before', 'comment at the horizon'],
  );
  assert.deepEqual(
    held.map((e) => e.name),
    ['tie after the horizon id', 'status change later'],
  );
  assert.equal(splitAtHorizon(events, null).held.length, 0, 'the last round relays everything');
});

test('a cursor is never saved past the horizon', () => {
  const horizon = { modstamp: at(10), id: 'x' };
  assert.deepEqual(cursorWithin({ modstamp: at(20), id: 'a' }, horizon), horizon);
  assert.deepEqual(cursorWithin({ modstamp: at(5), id: 'a' }, horizon), { modstamp: at(5), id: 'a' });
  assert.deepEqual(cursorWithin({ modstamp: at(20), id: 'a' }, null), { modstamp: at(20), id: 'a' });
});
