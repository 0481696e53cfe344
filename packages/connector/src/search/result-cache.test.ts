import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ResultCache } from './result-cache.js';

test('the least recently used answer is the one dropped when the cache is full', () => {
  const cache = new ResultCache<number>(2);
  cache.set('vpn', 1);
  cache.set('printer', 2);
  assert.equal(cache.get('vpn'), 1);
  cache.set('password', 3);
  assert.equal(cache.get('printer'), undefined);
  assert.equal(cache.get('vpn'), 1);
  assert.equal(cache.get('password'), 3);
});

test('a cache resized to 0 keeps nothing', () => {
  const cache = new ResultCache<number>(4);
  cache.set('vpn', 1);
  cache.resize(0);
  cache.set('printer', 2);
  assert.equal(cache.size, 0);
  assert.equal(cache.get('vpn'), undefined);
});
