// SOQL built in one place: a tagged template where every interpolated value becomes an escaped literal and names
// pass only if they are identifiers, so no input can change a query's structure.
// Literal rules: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** Held only by this module: the one way to make a Soql. */
const MADE_HERE: unique symbol = Symbol('made by the SOQL builder');

/**
 * A finished query (or fragment). Only this module can make one (the constructor wants a symbol no other module
 * holds, and the private field makes the type nominal, so a look-alike object is no Soql either): SOQL is never
 * concatenated elsewhere.
 */
export class Soql {
  readonly #text: string;
  constructor(made: typeof MADE_HERE, text: string) {
    if (made !== MADE_HERE) throw new TypeError('a Soql is made by the soql`` builder only');
    this.#text = text;
  }
  get text(): string {
    return this.#text;
  }
  toString(): string {
    return this.#text;
  }
}

class Identifier {
  constructor(readonly name: string) {}
}
class LikePattern {
  constructor(
    readonly value: string,
    readonly wildcards: { prefix: boolean; suffix: boolean },
  ) {}
}
class DateOnly {
  constructor(readonly value: Date) {}
}
class ExactInstant {
  constructor(readonly value: Date) {}
}

export type SoqlValue =
  | string
  | number
  | boolean
  | null
  | Date
  | Soql
  | Identifier
  | LikePattern
  | DateOnly
  | ExactInstant
  | readonly (string | number)[];

/** An object, field or relationship path, validated; throws on anything else. */
export function ident(name: string): Identifier {
  if (!IDENTIFIER.test(name))
    throw new TypeError(`not a SOQL identifier: ${JSON.stringify(name.slice(0, 80))}`);
  return new Identifier(name);
}

/** A comma-separated list of identifiers, e.g. for SELECT. */
export function fieldList(names: readonly string[]): Soql {
  if (names.length === 0) throw new TypeError('empty SOQL field list');
  return new Soql(MADE_HERE, names.map((n) => ident(n).name).join(', '));
}

/** A LIKE operand: `%`/`_` in the value match literally; wildcards are added only where asked. */
export function like(value: string, wildcards: { prefix?: boolean; suffix?: boolean } = {}): LikePattern {
  return new LikePattern(value, { prefix: wildcards.prefix ?? false, suffix: wildcards.suffix ?? false });
}

/** A date (not datetime) literal, e.g. for Birthdate. */
export function dateOnly(value: Date): DateOnly {
  return new DateOnly(value);
}

/**
 * A datetime compared for equality with a value Salesforce returned (a keyset position): written to the
 * millisecond when it has any. Salesforce's own stamps are whole seconds (they read back as `.000+0000`), so
 * against Salesforce this is the documented `...ssZ` form; a plain Date is cut to the second instead.
 */
export function exactInstant(value: Date): ExactInstant {
  return new ExactInstant(value);
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A quoted string literal with every special character escaped. */
export function quote(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => ESCAPES[ch] ?? ch)}'`;
}

function quoteLike(pattern: LikePattern): string {
  // LIKE adds \% and \_ to the string escapes: https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-comparisonoperators.html
  const body = quote(pattern.value)
    .slice(1, -1)
    .replace(/[%_]/g, (ch) => `\\${ch}`);
  return `'${pattern.wildcards.prefix ? '%' : ''}${body}${pattern.wildcards.suffix ? '%' : ''}'`;
}

/** Datetimes are unquoted UTC, to the second: `2024-01-15T10:30:00Z`. */
export function datetimeLiteral(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new TypeError('invalid date in SOQL');
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function literal(value: SoqlValue): string {
  if (value === null) return 'null';
  if (value instanceof Soql) return value.text;
  if (value instanceof Identifier) return value.name;
  if (value instanceof LikePattern) return quoteLike(value);
  if (value instanceof DateOnly) return datetimeLiteral(value.value).slice(0, 10);
  if (value instanceof ExactInstant) {
    if (Number.isNaN(value.value.getTime())) throw new TypeError('invalid date in SOQL');
    return value.value.toISOString().replace(/\.000Z$/, 'Z');
  }
  if (value instanceof Date) return datetimeLiteral(value);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new TypeError('empty IN list in SOQL');
    return `(${(value as readonly (string | number)[]).map((v) => literal(v)).join(', ')})`;
  }
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('non-finite number in SOQL');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new TypeError('unsupported SOQL value');
}

/**
 * Builds SOQL; each `${value}` is a literal (strings quoted and escaped, dates as datetimes, arrays as IN lists)
 * unless it is an `ident(...)`, `fieldList(...)` or a nested `soql` fragment.
 * @example soql`SELECT Id FROM Contact WHERE Email = ${email} LIMIT ${10}`
 */
export function soql(strings: TemplateStringsArray, ...values: SoqlValue[]): Soql {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += literal(value) + (strings[i + 1] ?? '');
  });
  return new Soql(MADE_HERE, text);
}

/** Joins fragments with AND, skipping none; for optional filters. */
export function and(parts: readonly Soql[]): Soql {
  return new Soql(MADE_HERE, parts.map((p) => `(${p.text})`).join(' AND '));
}
