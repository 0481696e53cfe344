// Words as written to a number, looked up straight from the text they sit in: hashing the characters in place
// avoids cutting a string out of the text and hashing it again for every word of every article, which cost most of
// an index rebuild (a Map keyed by the cut strings took ten times the scan itself).

export class WordTable {
  private words: string[] = [];
  private values: number[] = [];
  /** open addressing: entry index + 1, 0 for an empty slot */
  private slots = new Int32Array(1 << 16);
  private mask = (1 << 16) - 1;

  get size(): number {
    return this.words.length;
  }

  /** the value stored for text[start, end), or undefined */
  get(text: string, start: number, end: number): number | undefined {
    const length = end - start;
    let h = hashOf(text, start, end) & this.mask;
    for (;;) {
      const entry = this.slots[h] ?? 0;
      if (entry === 0) return undefined;
      const word = this.words[entry - 1] as string;
      if (word.length === length && sameChars(word, text, start, length)) return this.values[entry - 1];
      h = (h + 1) & this.mask;
    }
  }

  /** stores a value for text[start, end) (not already present: call get first) */
  set(text: string, start: number, end: number, value: number): void {
    if ((this.words.length + 1) * 2 > this.slots.length) this.grow();
    this.words.push(text.slice(start, end));
    this.values.push(value);
    this.place(hashOf(text, start, end), this.words.length);
  }

  clear(): void {
    this.words = [];
    this.values = [];
    this.slots.fill(0);
  }

  private place(hash: number, entry: number): void {
    let h = hash & this.mask;
    while ((this.slots[h] ?? 0) !== 0) h = (h + 1) & this.mask;
    this.slots[h] = entry;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    this.words.forEach((word, i) => this.place(hashOf(word, 0, word.length), i + 1));
  }
}

/** FNV-1a over UTF-16 code units */
function hashOf(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function sameChars(word: string, text: string, start: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}
