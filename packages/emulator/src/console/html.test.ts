import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, markup } from './html.js';

void describe('markup', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const evil = `<img src=x onerror="alert('x')">&\``;
    const out = markup`<p title="${evil}">${evil}</p>`.text;
    assert.equal(
      out,
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;&#96;">' +
        '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;&#96;</p>',
    );
    assert.doesNotMatch(out, /<img/);
  });

  it('keeps nested markup, joins arrays and drops null, undefined and false', () => {
    const items = ['a<b', 'c'].map((t) => markup`<li>${t}</li>`);
    assert.equal(
      markup`<ul>${items}${null}${undefined}${false}</ul>`.text,
      '<ul><li>a&lt;b</li><li>c</li></ul>',
    );
    assert.equal(markup`${0} ${true}`.text, '0 true');
  });

  it('escapes the five HTML-significant characters and the backtick', () => {
    assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
  });
});
