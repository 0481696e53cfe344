// Salesforce record IDs: 15-char case-sensitive base-62 IDs plus the 3-char case-insensitive checksum suffix.
// The checksum algorithm is the documented one (salesforce.md 3.6), verified against IDs printed in Salesforce docs.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_SHAPE = /^[0-9A-Za-z]{15}(?:[A-Z0-5]{3})?$/;

/** Key prefixes of the sObjects the emulator models (the first three characters of every ID). */
export const KEY_PREFIXES = {
  Account: '001',
  Contact: '003',
  User: '005',
  Organization: '00D',
  Profile: '00e',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  ObjectPermissions: '110',
  RecordType: '012',
  Case: '500',
  CaseComment: '00a',
  CaseStatus: '01J',
  Group: '00G',
  QueueSobject: '03g',
  AssignmentRule: '01Q',
  Knowledge__kav: 'ka0',
  KnowledgeArticle: 'kA0',
  QueryLocator: '01g',
} as const;

/** Appends the 3-character checksum to a 15-character ID. */
export function to18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const code = id15.charCodeAt(chunk * 5 + i);
      if (code >= 65 && code <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits] ?? 'A';
  }
  return id15 + suffix;
}

/**
 * Normalises a 15- or 18-character ID to its 18-character form, or returns undefined when the text is not
 * shaped like an ID. An 18-character ID is accepted in any letter case for its suffix only when the suffix
 * matches the checksum of the first 15 characters, as Salesforce does.
 */
export function normalizeId(value: string): string | undefined {
  if (value.length === 18) {
    const id15 = value.slice(0, 15);
    if (!/^[0-9A-Za-z]{15}$/.test(id15)) return undefined;
    const full = to18(id15);
    return full.slice(15) === value.slice(15).toUpperCase() ? full : undefined;
  }
  if (!ID_SHAPE.test(value)) return undefined;
  return to18(value);
}

/** The key prefix (first three characters) of an ID. */
export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  while (rest > 0) {
    out = (BASE62[rest % 62] ?? '0') + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * Generates IDs for one org: key prefix + 2-char pod identifier + 10-char base-62 record number. The counter is
 * shared by all objects of the org, so IDs are unique across types and increase in creation order.
 */
export class IdGenerator {
  private counter: number;

  constructor(
    private readonly pod: string,
    start = 1,
  ) {
    this.counter = start;
  }

  next(prefix: string): string {
    const id15 = `${prefix}${this.pod}${base62(this.counter++, 10)}`;
    return to18(id15);
  }

  get state(): number {
    return this.counter;
  }

  set state(value: number) {
    this.counter = value;
  }
}
