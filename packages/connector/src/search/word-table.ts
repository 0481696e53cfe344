// Words as written to a number, looked up straight from the text they sit in: hashing the characters in place
// avoids cutting a string out of the text and hashing it again for every word of every article, which cost most of
// an index rebuild (a Map keyed by the cut strings took ten times the scan itself).
// A look-up is bound by memory reads, not arithmetic: each slot holds the word's hash, value and where its
// characters sit in one shared character array, so a probe reads one slot and, on a hash match, one run of
// characters (strings in an array of words cost three reads more per word: the array, the string, its length).

/** ints per slot: hash, value, offset of the characters, length (0: empty slot) */
const SLOT = 4;

export class WordTable {
  private table = new Int32Array((1 << 16) * SLOT);
  private mask = (1 << 16) - 1;
  private chars = new Uint16Array(1 << 16);
  private used = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** the value stored for text[start, end), or undefined */
  get(text: string, start: number, end: number): number | undefined {
    const length = end - start;
    const hash = hashOf(text, start, end);
    const table = this.table;
    const chars = this.chars;
    for (let h = hash & this.mask; ; h = (h + 1) & this.mask) {
      const at = h * SLOT;
      const stored = table[at + 3] ?? 0;
      if (stored === 0) return undefined;
      if (stored !== length || table[at] !== hash) continue;
      const offset = table[at + 2] ?? 0;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (chars[offset + i] !== text.charCodeAt(start + i)) {
          same = false;
          break;
        }
      }
      if (same) return table[at + 1];
    }
  }

  /** stores a value for text[start, end) (not already present: call get first) */
  set(text: string, start: number, end: number, value: number): void {
    const length = end - start;
    if (length === 0) return;
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    if (this.used + length > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.used + length));
      chars.set(this.chars.subarray(0, this.used));
      this.chars = chars;
    }
    const offset = this.used;
    for (let i = 0; i < length; i++) this.chars[offset + i] = text.charCodeAt(start + i);
    this.used += length;
    this.place(this.table, this.mask, hashOf(text, start, end), value, offset, length);
    this.count++;
  }

  clear(): void {
    this.table.fill(0);
    this.used = 0;
    this.count = 0;
  }

  private place(
    table: Int32Array,
    mask: number,
    hash: number,
    value: number,
    offset: number,
    length: number,
  ): void {
    let h = hash & mask;
    while ((table[h * SLOT + 3] ?? 0) !== 0) h = (h + 1) & mask;
    const at = h * SLOT;
    table[at] = hash;
    table[at + 1] = value;
    table[at + 2] = offset;
    table[at + 3] = length;
  }

  private grow(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    this.table = new Int32Array(slots * SLOT);
    this.mask = slots - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      const length = old[at + 3] ?? 0;
      if (length !== 0)
        this.place(this.table, this.mask, old[at] ?? 0, old[at + 1] ?? 0, old[at + 2] ?? 0, length);
    }
  }
}

/** FNV-1a over UTF-16 code units, as a signed 32-bit int (what an Int32Array slot holds) */
function hashOf(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
