// Wire formats of Salesforce values: datetimes out as `2024-01-15T10:30:00.000+0000`, dates as `2024-01-15`.
// Inputs accept any ISO-8601 form (Z or ±hh:mm), as the REST API does (salesforce.md 2.1).

/** Formats an instant the way the REST API writes datetimes: milliseconds and a colon-less +0000 offset. */
export function formatDatetime(at: Date | number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 23)}+0000`;
}

/** Formats the UTC calendar date of an instant as `YYYY-MM-DD`. */
export function formatDate(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

const DATETIME_INPUT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO-8601 date or datetime (offset optional, UTC assumed) into epoch milliseconds, or undefined. */
export function parseDatetime(text: string): number | undefined {
  const m = DATETIME_INPUT.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '0', zone] = m;
  const ms = Number(`0.${frac}`) * 1000;
  // Date.UTC rolls over (month 13 is next January, 25:00 is tomorrow); Salesforce rejects such values instead.
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (parseDate(`${y}-${mo}-${d}`) === undefined) return undefined;
  if (zone && zone.toUpperCase() !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(-2)) > 59))
    return undefined;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.round(ms));
  if (Number.isNaN(t)) return undefined;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    t -= sign * offsetMin * 60_000;
  }
  const check = new Date(t);
  if (check.getUTCFullYear() < 1700 || check.getUTCFullYear() > 4000) return undefined;
  return t;
}

/** Parses a stored datetime string (our own output format) into epoch milliseconds. */
export function datetimeMs(stored: string): number {
  return parseDatetime(stored) ?? Number.NaN;
}

/** Parses a `YYYY-MM-DD` date (or the date part of a datetime) into `YYYY-MM-DD`, or undefined. */
export function parseDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(text.trim());
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(t) || formatDate(t) !== `${m[1]}-${m[2]}-${m[3]}`) return undefined;
  return formatDate(t);
}

/** Text of a stored scalar value (stored values are strings, numbers, booleans or null). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}
