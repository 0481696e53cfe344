import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sanitizeArticleHtml } from './article-html.js';

void test('article HTML keeps its structure and loses everything that could run or restyle the page', () => {
  const html = sanitizeArticleHtml(
    '<h1>Title</h1><p style="color:red" onclick="x()">Text <b>bold</b></p><script>alert(1)</script>' +
      '<img src="x" onerror="alert(2)"><img src="https://cdn.example.com/a.png" alt="A">' +
      '<a href="javascript:alert(3)">bad</a><a href="https://help.example.com/a">good</a>' +
      '<iframe src="https://evil.example"></iframe><form action="/x"><input name="q"></form>',
  );
  assert.doesNotMatch(html, /script|onclick|onerror|style=|javascript:|iframe|<form|<input/i);
  assert.match(html, /<h2>Title<\/h2>/, 'an h1 becomes an h2 under the page heading');
  assert.match(html, /<p>Text <b>bold<\/b><\/p>/);
  assert.match(html, /<img src="https:\/\/cdn.example.com\/a.png" alt="A" \/>/);
  assert.match(
    html,
    /<a href="https:\/\/help.example.com\/a" target="_blank" rel="noopener noreferrer">good<\/a>/,
  );
  assert.doesNotMatch(html, /src="x"/, 'only https images');
});
