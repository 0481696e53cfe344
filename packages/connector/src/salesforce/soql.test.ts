// Values can never change a query: quotes, backslashes, newlines and LIKE wildcards are escaped; names are checked.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { and, dateOnly, exactInstant, fieldList, ident, like, Soql, soql } from './soql.js';

void test("an email with a quote is one escaped literal: o'brien@x.com", () => {
  assert.equal(
    soql`SELECT Id FROM Contact WHERE Email = ${"o'brien@x.com"}`.text,
    "SELECT Id FROM Contact WHERE Email = 'o\\'brien@x.com'",
  );
});

void test('injection attempts stay inside the literal', () => {
  const attempts = [
    "x' OR Name != '",
    "x\\' OR Id != null OR Name = '",
    "a'\nOR Id != null--",
    '\\',
    "'; DELETE",
  ];
  for (const attempt of attempts) {
    const text = soql`SELECT Id FROM Contact WHERE Email = ${attempt}`.text;
    const literal = text.slice('SELECT Id FROM Contact WHERE Email = '.length);
    // The literal is the whole tail: it starts and ends with a quote and every inner quote is escaped.
    assert.ok(literal.startsWith("'") && literal.endsWith("'"), text);
    const inner = literal.slice(1, -1);
    assert.ok(!/(^|[^\\])(\\\\)*'/.test(inner), `unescaped quote in ${text}`);
    assert.ok(!inner.includes('\n'), 'raw newline');
  }
  assert.equal(soql`X = ${'a\\b'}`.text, "X = 'a\\\\b'");
  assert.equal(soql`X = ${'l1\nl2\r\t'}`.text, "X = 'l1\\nl2\\r\\t'");
});

void test('LIKE escapes % and _ separately and adds wildcards only where asked', () => {
  assert.equal(soql`Subject LIKE ${like('50%_off', { suffix: true })}`.text, "Subject LIKE '50\\%\\_off%'");
  assert.equal(
    soql`Subject LIKE ${like("it's", { prefix: true, suffix: true })}`.text,
    "Subject LIKE '%it\\'s%'",
  );
  assert.equal(soql`Subject = ${'50%_off'}`.text, "Subject = '50%_off'");
});

void test('datetimes are unquoted UTC seconds, dates unquoted days, numbers/booleans/null/lists as literals', () => {
  const at = new Date('2024-01-15T10:30:00.123Z');
  assert.equal(soql`SystemModstamp >= ${at}`.text, 'SystemModstamp >= 2024-01-15T10:30:00Z');
  assert.equal(soql`Birthdate = ${dateOnly(at)}`.text, 'Birthdate = 2024-01-15');
  assert.equal(soql`LIMIT ${200} ${true} ${null}`.text, 'LIMIT 200 true null');
  assert.equal(soql`Id IN ${['a', "b'c"]}`.text, "Id IN ('a', 'b\\'c')");
  assert.throws(() => soql`LIMIT ${Number.NaN}`);
  assert.throws(() => soql`Id IN ${[]}`);
});

void test('identifiers are validated; fragments compose', () => {
  assert.equal(
    soql`SELECT ${fieldList(['Id', 'Contact.Email', 'Answer__c'])} FROM ${ident('Knowledge__kav')}`.text,
    'SELECT Id, Contact.Email, Answer__c FROM Knowledge__kav',
  );
  for (const bad of [
    'Id FROM User--',
    'Name, (SELECT Id FROM Cases)',
    '1Field',
    'a..b',
    '',
    'Email = null OR Id',
  ]) {
    assert.throws(() => ident(bad), TypeError);
    assert.throws(() => fieldList(['Id', bad]), TypeError);
  }
  assert.equal(and([soql`A = ${1}`, soql`B = ${'x'}`]).text, "(A = 1) AND (B = 'x')");
});

void test('a keyset instant keeps the milliseconds a value has, and is the documented seconds form without', () => {
  assert.equal(
    soql`SystemModstamp = ${exactInstant(new Date('2024-01-15T10:30:00.123Z'))}`.text,
    'SystemModstamp = 2024-01-15T10:30:00.123Z',
  );
  assert.equal(
    soql`SystemModstamp = ${exactInstant(new Date('2024-01-15T10:30:00.000Z'))}`.text,
    'SystemModstamp = 2024-01-15T10:30:00Z',
  );
});

void test('a Soql can be made only by the builder: not by hand, not by a look-alike object', () => {
  const forged = Symbol('made by the SOQL builder');
  // @ts-expect-error the constructor wants the builder's own symbol
  assert.throws(() => new Soql(forged, 'SELECT Id FROM Case'), /made by the soql`` builder only/);
  // @ts-expect-error a plain object with the same members is not a Soql (the private field makes it nominal)
  const lookAlike: Soql = { text: 'SELECT Id FROM Case', toString: () => 'SELECT Id FROM Case' };
  assert.equal(lookAlike instanceof Soql, false);
  assert.ok(soql`SELECT Id FROM Case` instanceof Soql);
});
