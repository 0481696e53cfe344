import assert from 'node:assert/strict';
import { test } from 'node:test';

import { htmlToSections, packSections, SECTIONS_PREFIX, unpackSections } from './html-sections.js';

test('splits at headings and keeps the intro before the first heading', () => {
  const sections = htmlToSections(
    '<p>Welcome.</p><h2>Printing</h2><p>Use the second floor.</p><h3>Toner</h3><p>Ask IT.</p>',
  );
  assert.deepEqual(sections, [
    { heading: null, text: 'Welcome.' },
    { heading: 'Printing', text: 'Use the second floor.' },
    { heading: 'Toner', text: 'Ask IT.' },
  ]);
});

test('drops scripts and styles, decodes entities, keeps lists and tables readable', () => {
  const sections = htmlToSections(
    '<style>p{color:red}</style><script>alert("x")</script><p>Caf&eacute; &amp; tea&nbsp;&#8212; fine</p>' +
      '<ul><li>First</li><li>Second <b>bold</b></li></ul>' +
      '<table><tr><th>Floor</th><th>Printer</th></tr><tr><td>2</td><td>HP &lt;Laser&gt;</td></tr></table>',
  );
  assert.equal(sections.length, 1);
  assert.equal(
    sections[0]?.text,
    'Café & tea\u00a0— fine\n- First\n- Second bold\nFloor | Printer\n2 | HP <Laser>'.replace('\u00a0', ' '),
  );
});

test('malformed HTML still gives text', () => {
  const sections = htmlToSections('<h2>Wi-Fi<p>Network <i>Guest</p><div>Password on the board');
  assert.deepEqual(sections, [{ heading: 'Wi-Fi', text: 'Network Guest\nPassword on the board' }]);
});

test('sections packed into one text come back as they were, separator characters in the text made spaces', () => {
  const sections = htmlToSections('<p>Intro&#31;text</p><h2>Wi-Fi</h2><p>Guest network</p><h2>Printers</h2>');
  const packed = packSections(sections);
  assert.ok(packed.startsWith(SECTIONS_PREFIX));
  assert.deepEqual(unpackSections(packed), [
    { heading: null, text: 'Intro text' },
    { heading: 'Wi-Fi', text: 'Guest network' },
    { heading: 'Printers', text: '' },
  ]);
  assert.deepEqual(unpackSections('not packed'), []);
});
