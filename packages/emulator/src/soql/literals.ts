// SOQL literal values: quoted strings with their escapes, and the relative date literals (TODAY, LAST_N_DAYS:n...)
// resolved against the emulator clock, in UTC (the running user's time zone is not modelled).
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm

import { wildcardMatcher, type Matcher, type WildToken } from '../util/wildcard.js';

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/**
 * Decodes a quoted SOQL string literal. In LIKE patterns `\%` and `\_` stay escaped (they mean a literal % or _);
 * anywhere else they, like any other unknown escape, make the literal invalid (undefined).
 */
export function decodeString(raw: string, forLike = false): string | undefined {
  const body = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i] ?? '';
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) out += forLike && next === '\\' ? '\\\\' : simple;
    else if (forLike && (next === '%' || next === '_')) out += `\\${next}`;
    else return undefined;
  }
  return out;
}

/** A LIKE pattern as a case-insensitive whole-value matcher (% any run, _ one character, \\ escapes). */
export function likeRegex(pattern: string): Matcher {
  const tokens: WildToken[] = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '\\') tokens.push({ kind: 'char', ch: chars[++i] ?? '' });
    else if (ch === '%') tokens.push({ kind: 'any' });
    else if (ch === '_') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'char', ch });
  }
  return wildcardMatcher(tokens);
}

/** A half-open UTC interval [start, end) in epoch milliseconds. */
export interface Range {
  start: number;
  end: number;
}

const DAY = 86_400_000;

function startOfDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

/** Weeks start on Sunday (en_US locale). */
function startOfWeek(t: number): number {
  const d = startOfDay(t);
  return d - new Date(d).getUTCDay() * DAY;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

type Unit = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';

/** The start of the period of `unit` containing `now`, shifted by `offset` periods. */
function periodStart(now: number, unit: Unit, offset: number): number {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (unit) {
    case 'DAY':
      return startOfDay(now) + offset * DAY;
    case 'WEEK':
      return startOfWeek(now) + offset * 7 * DAY;
    case 'MONTH':
      return monthStart(y, m + offset);
    case 'QUARTER':
      return monthStart(y, m - (m % 3) + offset * 3);
    case 'YEAR':
      return monthStart(y + offset, 0);
  }
}

// The instants a datetime can hold (the years parseDatetime accepts). A huge `n` (LAST_N_DAYS:99999999999) is
// clamped to them rather than overflowing Date, which used to answer 500.
const MIN_INSTANT = Date.UTC(1700, 0, 1);
const MAX_INSTANT = Date.UTC(4001, 0, 1);
const MAX_N = 100_000; // 100,000 years still fits in a JS Date

function clampRange(start: number, end: number): Range {
  const clamp = (t: number): number => Math.min(Math.max(t, MIN_INSTANT), MAX_INSTANT);
  return { start: clamp(start), end: clamp(end) };
}

function span(now: number, unit: Unit, from: number, count: number): Range {
  return clampRange(periodStart(now, unit, from), periodStart(now, unit, from + count));
}

const FIXED: Record<string, [Unit, number]> = {
  YESTERDAY: ['DAY', -1],
  TODAY: ['DAY', 0],
  TOMORROW: ['DAY', 1],
  LAST_WEEK: ['WEEK', -1],
  THIS_WEEK: ['WEEK', 0],
  NEXT_WEEK: ['WEEK', 1],
  LAST_MONTH: ['MONTH', -1],
  THIS_MONTH: ['MONTH', 0],
  NEXT_MONTH: ['MONTH', 1],
  LAST_QUARTER: ['QUARTER', -1],
  THIS_QUARTER: ['QUARTER', 0],
  NEXT_QUARTER: ['QUARTER', 1],
  LAST_YEAR: ['YEAR', -1],
  THIS_YEAR: ['YEAR', 0],
  NEXT_YEAR: ['YEAR', 1],
  // The fiscal year is the calendar year (the default fiscal year setting).
  LAST_FISCAL_QUARTER: ['QUARTER', -1],
  THIS_FISCAL_QUARTER: ['QUARTER', 0],
  NEXT_FISCAL_QUARTER: ['QUARTER', 1],
  LAST_FISCAL_YEAR: ['YEAR', -1],
  THIS_FISCAL_YEAR: ['YEAR', 0],
  NEXT_FISCAL_YEAR: ['YEAR', 1],
};

const UNIT_OF: Record<string, Unit> = {
  DAYS: 'DAY',
  WEEKS: 'WEEK',
  MONTHS: 'MONTH',
  QUARTERS: 'QUARTER',
  FISCAL_QUARTERS: 'QUARTER',
  YEARS: 'YEAR',
  FISCAL_YEARS: 'YEAR',
};

/** Resolves a date literal such as `TODAY`, `LAST_N_DAYS:7` or `N_MONTHS_AGO:2`; undefined if unknown. */
export function dateLiteralRange(literal: string, now: Date): Range | undefined {
  const t = now.getTime();
  const upper = literal.toUpperCase();
  const fixed = FIXED[upper];
  if (fixed) return span(t, fixed[0], fixed[1], 1);
  if (upper === 'LAST_90_DAYS') return dateLiteralRange('LAST_N_DAYS:90', now);
  if (upper === 'NEXT_90_DAYS') return dateLiteralRange('NEXT_N_DAYS:90', now);
  const m = /^(LAST_N|NEXT_N|N)_([A-Z_]+?)(?:_AGO)?:(\d+)$/.exec(upper);
  if (!m) return undefined;
  const [, kind, unitName, nText] = m;
  const unit = UNIT_OF[unitName ?? ''];
  const n = Math.min(Number(nText), MAX_N);
  if (!unit) return undefined;
  if (kind === 'N') return span(t, unit, -n, 1);
  if (kind === 'NEXT_N') return span(t, unit, 1, n);
  // LAST_N_DAYS:n runs from n days ago through the end of today; the other LAST_N_* exclude the current period.
  if (unit === 'DAY') return clampRange(periodStart(t, 'DAY', -n), periodStart(t, 'DAY', 1));
  return span(t, unit, -n, n);
}
