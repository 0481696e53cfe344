import assert from 'node:assert/strict';
import { test } from 'node:test';

import { afterSearch, decide, draftFrom, EMPTY_STATE, type ConversationState } from './dialogue.js';
import type { ArticleCard } from './messages.js';

const article = (id: string, title: string): ArticleCard => ({
  articleId: id,
  articleNumber: `A-${id}`,
  title,
  section: null,
  snippet: title,
  marks: [],
  link: `https://help.example.com/${id}`,
});

void test('a question searches; its articles ask "did this solve it?"; "no" drafts the ticket with them', () => {
  const step = decide(EMPTY_STATE, { text: 'VPN keeps disconnecting' });
  assert.equal(step.kind, 'search');
  if (step.kind !== 'search') return;
  const answered = afterSearch(step.state, [article('1', 'Fix VPN drops')]);
  assert.equal(answered.state.awaiting, 'solved');
  const no = decide(answered.state, { text: 'no' });
  assert.equal(no.kind, 'answer');
  if (no.kind !== 'answer') return;
  assert.equal(no.state.awaiting, 'file');
  assert.deepEqual(no.state.draft, {
    subject: 'VPN keeps disconnecting',
    description:
      'VPN keeps disconnecting\n\nArticles already tried with the bot:\n- Fix VPN drops (https://help.example.com/1)',
    articlesTried: [{ articleId: '1', title: 'Fix VPN drops', link: 'https://help.example.com/1' }],
  });
  const file = decide(no.state, { text: 'yes please' });
  assert.equal(file.kind, 'file');
});

void test('a follow-up after "did this solve it?" adds to the same thread; a new question after "yes" starts anew', () => {
  const first = decide(EMPTY_STATE, { text: 'Outlook will not start' });
  if (first.kind !== 'search') throw new Error('search');
  const answered = afterSearch(first.state, [article('1', 'Outlook safe mode')]);
  const follow = decide(answered.state, { text: 'It shows error 0x800 on start' });
  if (follow.kind !== 'search') throw new Error('search');
  assert.deepEqual(follow.state.notes, ['Outlook will not start', 'It shows error 0x800 on start']);
  assert.equal(follow.state.articlesTried.length, 1);
  const done = decide(answered.state, { action: 'solved' });
  if (done.kind !== 'answer') throw new Error('answer');
  assert.deepEqual(done.state, EMPTY_STATE);
});

void test('a long first sentence is cut to a subject; with no notes there is no draft', () => {
  const long = `${'word '.repeat(40)}end. Second sentence.`;
  const state: ConversationState = { ...EMPTY_STATE, notes: [long] };
  const draft = draftFrom(state);
  assert.ok(draft !== null && draft.subject.length <= 120 && draft.subject.endsWith('…'));
  assert.equal(draftFrom(EMPTY_STATE), null);
  const ask = decide(EMPTY_STATE, { action: 'file-ticket' });
  if (ask.kind !== 'answer') throw new Error('answer');
  assert.equal(ask.state.awaiting, 'describe');
  const described = decide(ask.state, { text: 'My badge does not open door 4' });
  if (described.kind !== 'answer') throw new Error('answer');
  assert.equal(described.state.draft?.subject, 'My badge does not open door 4');
});

void test('an offer waits for yes or no about its case; after a decline the next text is details for it', () => {
  const offered: ConversationState = { ...EMPTY_STATE, awaiting: 'resolution', focusCase: '00001027' };
  assert.deepEqual(decide(offered, { text: 'yes' }), {
    kind: 'resolution',
    caseNumber: '00001027',
    decision: 'confirm',
  });
  assert.deepEqual(decide(offered, { text: 'nope' }), {
    kind: 'resolution',
    caseNumber: '00001027',
    decision: 'decline',
  });
  const declined: ConversationState = { ...offered, awaiting: 'details' };
  assert.deepEqual(decide(declined, { text: 'The error is 809 on Windows' }), {
    kind: 'comment',
    caseNumber: '00001027',
    text: 'The error is 809 on Windows',
    why: 'details',
  });
  // a command is still a command
  assert.equal(decide(declined, { text: 'my tickets' }).kind, 'list');
});
