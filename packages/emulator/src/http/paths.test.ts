// Unit tests of URL splitting and the version labels.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitUrl } from './paths.js';
import { releaseLabel } from './rest/versions.js';

describe('splitUrl', () => {
  it('collapses duplicate and trailing slashes and keeps the query', () => {
    const { path, query } = splitUrl('//services/data//v62.0/query/?q=SELECT+Id%20FROM+Case');
    assert.equal(path, '/services/data/v62.0/query');
    assert.equal(query.get('q'), 'SELECT Id FROM Case');
    assert.equal(splitUrl('/').path, '/');
  });
});

describe('releaseLabel', () => {
  it('names releases three a year', () => {
    assert.deepEqual([31, 62, 63, 64, 65, 66].map(releaseLabel), [
      "Summer '14",
      "Winter '25",
      "Spring '25",
      "Summer '25",
      "Winter '26",
      "Spring '26",
    ]);
  });
});
