// Autonomous resolution, the pure rules: which monitored case the bot may try to solve itself, how sure a knowledge
// search must be before the bot offers its answer, and what the funnel counts.

import type { CaseState } from '../tickets/case-states.js';

/**
 * The offer threshold on the ratio of the best hit's score to the second's (scale-free, so it carries from the
 * evaluation sets to a tenant's own knowledge base, where raw BM25 scores are on another scale). Chosen by
 * `npm run bench -- --only resolution-threshold`: on five held-out folds of ../shared/data/kb (workarena, 100
 * articles, 1,000 questions as tickets), each fold's threshold taken from the other four so that at most 9% of their
 * tickets get an offer with the right article removed: held out, 9.1% got one without their right article (10% at
 * most is required), and with it 32.3% got an offer, 31.6% with the right article first. 1.6 is that rule over all
 * five folds (9.0% / 32.2% / 31.4%).
 */
export const OFFER_MIN_RATIO = 1.6;
/** the ratio a lone hit gets (no second hit to compare with) */
export const LONE_HIT_RATIO = 10;
/** an offer nobody answered for this long is counted as "no answer" and stays with the agents */
export const OFFER_ANSWER_HOURS = 72;
/** how many articles an offer shows */
export const OFFER_ARTICLES = 2;

/** What the eligibility check reads of a monitored case. */
export interface ResolutionCandidate {
  readonly state: CaseState;
  readonly createdById: string;
  readonly lastModifiedById: string;
  readonly ownerId: string | null;
  /** the authors of every comment on the case, internal ones included */
  readonly commentAuthorIds: readonly string[];
  /** the case's Contact as ticket monitoring decided it (null: the employee is not identified) */
  readonly employeeId: string | null;
  /** casebridge filed it (the bot API, a reply ledger entry): the employee already talked to the bot */
  readonly filedByBot: boolean;
}

export type Ineligible =
  | 'not-new'
  | 'filed-by-bot'
  | 'employee-unknown'
  | 'agent-commented'
  | 'modified-by-other'
  | 'owned-by-agent';

/** A Salesforce queue's id starts with 00G (Group); a user's with 005. */
const isQueue = (ownerId: string): boolean => ownerId.startsWith('00G');

/**
 * A case is eligible when nobody but its creator has touched it: its status maps to NEW, no comment by anyone else,
 * last modified by its creator, owned by a queue or its creator; not filed through the bot, and its employee known.
 */
export function ineligibility(c: ResolutionCandidate): Ineligible | null {
  if (c.state !== 'NEW') return 'not-new';
  if (c.filedByBot) return 'filed-by-bot';
  if (c.employeeId === null) return 'employee-unknown';
  if (c.commentAuthorIds.some((author) => author !== c.createdById)) return 'agent-commented';
  if (c.lastModifiedById !== c.createdById) return 'modified-by-other';
  if (c.ownerId !== null && c.ownerId !== c.createdById && !isQueue(c.ownerId)) return 'owned-by-agent';
  return null;
}

/** How sure the search is of its best hit: its score over the second's. */
export function confidenceOf(scores: readonly number[]): number {
  const [first = 0, second = 0] = scores;
  if (first <= 0) return 0;
  return second <= 0 ? LONE_HIT_RATIO : Math.min(LONE_HIT_RATIO, first / second);
}

export const shouldOffer = (confidence: number, threshold = OFFER_MIN_RATIO): boolean =>
  confidence >= threshold;

/** Where a case stands in the funnel. */
export type ResolutionStatus =
  | 'ineligible'
  | 'not-offered'
  | 'offered'
  | 'confirmed'
  | 'declined'
  | 'no-answer'
  | 'agent-changed'
  | 'reopened';

export interface ResolutionFunnel {
  readonly eligible: number;
  readonly offered: number;
  readonly confirmed: number;
  readonly declined: number;
  readonly noAnswer: number;
  readonly reopened: number;
}

/** The funnel from the count of cases per status: every later stage was also each earlier one. */
export function funnelOf(counts: Readonly<Partial<Record<ResolutionStatus, number>>>): ResolutionFunnel {
  const n = (s: ResolutionStatus): number => counts[s] ?? 0;
  const reopened = n('reopened');
  const confirmed = n('confirmed') + reopened;
  const answeredOrOpen = confirmed + n('declined') + n('no-answer') + n('agent-changed') + n('offered');
  return {
    eligible: answeredOrOpen + n('not-offered'),
    offered: answeredOrOpen,
    confirmed,
    declined: n('declined'),
    noAnswer: n('no-answer'),
    reopened,
  };
}

/** The ticket text searched for a fix: subject, then description, cut to what a search reads. */
export function ticketQuery(subject: string | null, description: string | null, maxChars: number): string {
  const text = [subject ?? '', description ?? ''].filter((t) => t.trim() !== '').join('\n');
  return text.length <= maxChars ? text : text.slice(0, maxChars);
}
