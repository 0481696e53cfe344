import assert from 'node:assert/strict';
import { test } from 'node:test';

import { classifyText, ticketsNamedBy } from './intents.js';

void test('ticket commands are told from questions', () => {
  assert.deepEqual(classifyText('status of 00001027'), { kind: 'status', caseNumber: '00001027' });
  assert.deepEqual(classifyText("what's happening with case 1027?"), { kind: 'status', caseNumber: '1027' });
  assert.deepEqual(classifyText('00001027'), { kind: 'status', caseNumber: '00001027' });
  assert.deepEqual(classifyText('my tickets'), { kind: 'my-tickets' });
  assert.deepEqual(classifyText('show me my open cases'), { kind: 'my-tickets' });
  assert.deepEqual(classifyText('close my VPN ticket'), { kind: 'close', caseNumber: null, words: ['vpn'] });
  assert.deepEqual(classifyText('please close 00001027'), {
    kind: 'close',
    caseNumber: '00001027',
    words: [],
  });
  assert.deepEqual(classifyText('I want to file a ticket'), { kind: 'file-ticket' });
  assert.deepEqual(classifyText('talk to a human'), { kind: 'file-ticket' });
  assert.deepEqual(classifyText('How do I reset my VPN password?'), {
    kind: 'question',
    text: 'How do I reset my VPN password?',
  });
  // "close" in a question about something else is not a close request
  assert.equal(classifyText('the lid will not close on my laptop').kind, 'question');
});

void test('short answers are yes or no; long sentences starting with them are not', () => {
  for (const yes of ['yes', 'Yep!', 'that worked', 'thanks', 'it did'])
    assert.equal(classifyText(yes).kind, 'yes', yes);
  for (const no of ['no', 'nope', "didn't help", 'not really', 'still broken'])
    assert.equal(classifyText(no).kind, 'no', no);
  assert.equal(classifyText('no wifi on the third floor since this morning at all').kind, 'question');
});

void test('keyboard mashing, symbols and empty text are nonsense; greetings and help are told apart', () => {
  for (const nonsense of ['asdfgh qwrtz', '???', '  ', 'xkcd brr', '!!!...'])
    assert.equal(classifyText(nonsense).kind, 'nonsense', nonsense);
  assert.equal(classifyText('hello!').kind, 'greeting');
  assert.equal(classifyText('what can you do?').kind, 'help');
  assert.equal(classifyText('Wi-Fi').kind, 'question');
  assert.equal(classifyText('Drucker geht nicht').kind, 'question');
});

void test('a close request names its ticket by subject words, stems included; ties and misses are reported', () => {
  const tickets = [
    { number: '1', subject: 'VPN drops every hour' },
    { number: '2', subject: 'Printing fails on floor 3' },
    { number: '3', subject: 'VPN token expired' },
    { number: '4', subject: null },
  ];
  assert.deepEqual(
    ticketsNamedBy(tickets, ['printer']).map((t) => t.number),
    ['2'],
  );
  assert.deepEqual(
    ticketsNamedBy(tickets, ['vpn']).map((t) => t.number),
    ['1', '3'],
  );
  assert.deepEqual(
    ticketsNamedBy(tickets, ['vpn', 'token']).map((t) => t.number),
    ['3'],
  );
  assert.deepEqual(ticketsNamedBy(tickets, ['payroll']), []);
  assert.equal(ticketsNamedBy(tickets, []).length, 4);
});
