// Which thesaurus serves a language: WordNet for English, none for the others (their words are searched as written).
// One WordNet instance is shared by every index: it holds only the index files (about 7 MB, off the heap) and an fd
// per data file.

import { WordNetThesaurus, type Thesaurus } from './wordnet-thesaurus.js';

/** WordNet senses read per word; ranking chooses how many of them count (RankingParams.synonymSenses) */
const MAX_SENSES = 3;
let english: WordNetThesaurus | undefined;

export function thesaurusFor(family: string): Thesaurus | undefined {
  if (family !== 'english') return undefined;
  english ??= WordNetThesaurus.fromPackage(MAX_SENSES);
  return english;
}
