// CSV as Bulk API 2.0 reads uploads and writes results: quoting, delimiters, line endings, malformed input.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CsvSyntaxError, parseCsv, writeCsv } from './csv.js';

void describe('parseCsv', () => {
  it('reads quoted delimiters, doubled quotes and line breaks inside a field, with either line ending', () => {
    assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\r\nlines",\n', ','), [
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\r\nlines', ''],
    ]);
  });

  it('keeps an empty quoted last field as a row, and makes no row of a trailing line break', () => {
    assert.deepEqual(parseCsv('Id\n""\n', ','), [['Id'], ['']]);
    assert.deepEqual(parseCsv('Id\n', ','), [['Id']]);
  });

  it('splits on the chosen delimiter only', () => {
    assert.deepEqual(parseCsv('a|b,c\n', '|'), [['a', 'b,c']]);
    assert.deepEqual(parseCsv('a\tb\n', '\t'), [['a', 'b']]);
  });

  it('refuses an unclosed quote and a quote inside an unquoted field', () => {
    assert.throws(() => parseCsv('"open\n', ','), CsvSyntaxError);
    assert.throws(() => parseCsv('ab"c\n', ','), CsvSyntaxError);
  });
});

void describe('writeCsv', () => {
  it('quotes every field and ends every line, in the job’s delimiter and line ending', () => {
    const rows = [
      ['Id', 'Name'],
      ['001', 'A "quoted"; name'],
      ['002', ''],
    ];
    assert.equal(
      writeCsv(rows, { columnDelimiter: 'SEMICOLON', lineEnding: 'CRLF' }),
      '"Id";"Name"\r\n"001";"A ""quoted""; name"\r\n"002";""\r\n',
    );
    assert.equal(writeCsv(rows.slice(0, 1), { columnDelimiter: 'COMMA', lineEnding: 'LF' }), '"Id","Name"\n');
  });

  it('reads back what it writes', () => {
    const rows = [['a,b', 'line\nbreak', '"']];
    assert.deepEqual(parseCsv(writeCsv(rows, { columnDelimiter: 'COMMA', lineEnding: 'LF' }), ','), rows);
  });
});
