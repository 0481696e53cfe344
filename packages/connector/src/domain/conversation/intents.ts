// What an employee's text asks for, by rules (deterministic, English): a ticket's status by its number, their
// tickets, closing a ticket named by its words, filing a ticket, a yes or a no to what the bot just asked, a
// greeting or a call for help, text with no words at all, or else a question for the knowledge base. A language-model
// engine can replace this file's caller (services/conversation/conversation-engine.ts) without changing the contract.

export type TextIntent =
  | { readonly kind: 'status'; readonly caseNumber: string }
  | { readonly kind: 'my-tickets' }
  | { readonly kind: 'close'; readonly caseNumber: string | null; readonly words: readonly string[] }
  | { readonly kind: 'file-ticket' }
  | { readonly kind: 'yes' }
  | { readonly kind: 'no' }
  | { readonly kind: 'greeting' }
  | { readonly kind: 'help' }
  | { readonly kind: 'nonsense' }
  | { readonly kind: 'question'; readonly text: string };

/** A case number as the employee types it (Salesforce auto-numbers are digits, commonly 8 with leading zeros). */
const CASE_NUMBER = /(?:^|[^\d])(\d{4,12})(?!\d)/;

const YES =
  /^(?:yes|yep|yeah|yup|y|sure|ok|okay|correct|it did|it does|that did it|that (?:worked|helped|fixed it|solved it)|solved|fixed|works now|thanks?|thank you|perfect|great)\b/i;
const NO =
  /^(?:no|nope|nah|n|not really|not quite|it did ?n[o']?t|did ?n[o']?t|that did ?n[o']?t|does ?n[o']?t|not solved|still (?:not|broken|failing|the same))\b/i;
const MY_TICKETS =
  /\b(?:my|open|all) (?:tickets?|cases?|requests?)\b|\blist (?:of )?(?:my )?(?:tickets|cases|requests)\b|^(?:tickets|cases)$/i;
const STATUS = /\b(?:status|update|progress|news|where|what'?s happening|how is|show|check)\b|^\s*\d+\s*$/i;
const CLOSE = /\b(?:close|cancel|withdraw|resolve)\b/i;
const TICKET_WORD = /\b(?:tickets?|cases?|requests?)\b/i;
const FILE =
  /\b(?:(?:file|open|create|raise|submit|log|new) (?:a |an |my )?(?:new )?(?:ticket|case|request|incident)|talk to (?:a |an )?(?:human|person|agent|someone)|(?:human|live) agent|contact support)\b/i;
const GREETING = /^(?:hi|hello|hey|good (?:morning|afternoon|evening)|hiya|howdy)\b[\s!.,]*$/i;
const HELP = /^(?:help|\?+|menu|what can you do\??|how does this work\??|options)[\s!.]*$/i;

/** Words that say what the employee wants done, not which ticket: ignored when matching a ticket by its words. */
const COMMAND_WORDS = new Set([
  'close',
  'cancel',
  'withdraw',
  'resolve',
  'please',
  'my',
  'the',
  'a',
  'an',
  'ticket',
  'tickets',
  'case',
  'cases',
  'request',
  'requests',
  'about',
  'for',
  'with',
  'that',
  'this',
  'one',
  'issue',
  'problem',
  'can',
  'you',
  'could',
  'would',
  'i',
  'want',
  'to',
  'it',
  'is',
  'now',
  'of',
  'on',
  'and',
  'thanks',
]);

/** The lowercase words of a text (letters and digits, apostrophes kept inside a word). */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? []).map((w) => w.normalize('NFC'));
}

/** The words of a close request that may name a ticket. */
export function subjectWords(text: string): string[] {
  return wordsOf(text).filter((w) => !COMMAND_WORDS.has(w) && !/^\d+$/.test(w));
}

/**
 * Text with no word of two letters or more, or whose words have no vowel at all ("xkcd qwrt"), is no question: it
 * gets the help answer without a search.
 */
function isNonsense(text: string): boolean {
  const words = wordsOf(text).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return !CASE_NUMBER.test(text);
  const latin = words.filter((w) => /^[a-z']+$/.test(w));
  if (latin.length === words.length && latin.every((w) => !/[aeiouy]/.test(w))) return true;
  return false;
}

export function classifyText(raw: string): TextIntent {
  const text = raw.trim();
  if (text === '' || isNonsense(text)) return { kind: 'nonsense' };
  if (YES.test(text) && wordsOf(text).length <= 6) return { kind: 'yes' };
  if (NO.test(text) && wordsOf(text).length <= 6) return { kind: 'no' };
  if (GREETING.test(text)) return { kind: 'greeting' };
  if (HELP.test(text)) return { kind: 'help' };
  const number = CASE_NUMBER.exec(text)?.[1] ?? null;
  if (CLOSE.test(text) && (TICKET_WORD.test(text) || number !== null))
    return { kind: 'close', caseNumber: number, words: subjectWords(text) };
  if (number !== null && (STATUS.test(text) || TICKET_WORD.test(text) || wordsOf(text).length <= 3))
    return { kind: 'status', caseNumber: number };
  if (MY_TICKETS.test(text)) return { kind: 'my-tickets' };
  if (FILE.test(text)) return { kind: 'file-ticket' };
  return { kind: 'question', text };
}

/** Is this word of a close request in this subject? Equal, or sharing a 4-letter-or-longer stem ("printer", "printing"). */
function wordMatches(word: string, subject: readonly string[]): boolean {
  return subject.some((s) => {
    if (s === word) return true;
    const stem = Math.min(word.length, s.length, 5);
    return stem >= 4 && s.slice(0, stem) === word.slice(0, stem);
  });
}

/**
 * The tickets a close request names by words: those with the most of its words in their subject. Every candidate
 * when the request names none (and then the caller asks which); [] when words were given and no subject has any.
 */
export function ticketsNamedBy<T extends { subject: string | null }>(
  tickets: readonly T[],
  words: readonly string[],
): T[] {
  if (words.length === 0) return [...tickets];
  const scored = tickets.map((t) => {
    const subject = wordsOf(t.subject ?? '');
    return { t, score: words.filter((w) => wordMatches(w, subject)).length };
  });
  const best = Math.max(0, ...scored.map((s) => s.score));
  return best === 0 ? [] : scored.filter((s) => s.score === best).map((s) => s.t);
}
