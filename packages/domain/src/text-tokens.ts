/**
 * Free text (a transcript turn, a summary, a variable) as sentences of folded words, each word
 * keeping where it sits in the original text so a match can be quoted as it was said.
 * Segmentation is the runtime's Unicode word and sentence breaking (`Intl.Segmenter`, ICU): it
 * knows Spanish accents, apostrophes and punctuation in every language without a word list.
 */

export interface Token {
  /** lower-case, accents removed, apostrophes dropped: "Quíteme" → "quiteme", "don't" → "dont" */
  word: string;
  start: number;
  end: number;
}

const SENTENCES = new Intl.Segmenter("en", { granularity: "sentence" });
const WORDS = new Intl.Segmenter("en", { granularity: "word" });

/** Contractions read as their two words, so "don't call" and "do not call" match one phrase. */
const CONTRACTIONS: Readonly<Record<string, readonly string[]>> = {
  dont: ["do", "not"],
  doesnt: ["does", "not"],
  didnt: ["did", "not"],
  cant: ["can", "not"],
  cannot: ["can", "not"],
  wont: ["will", "not"],
  wouldnt: ["would", "not"],
  shouldnt: ["should", "not"],
  isnt: ["is", "not"],
  arent: ["are", "not"],
  wasnt: ["was", "not"],
  werent: ["were", "not"],
  havent: ["have", "not"],
  hasnt: ["has", "not"],
  im: ["i", "am"],
  youre: ["you", "are"],
  theyre: ["they", "are"],
  ive: ["i", "have"],
  youd: ["you", "would"],
};

/** Lower case, no accents, no apostrophes: the form phrases are compared in. */
export function foldWord(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’‘`´]/g, "");
}

/** The text's sentences, each a list of tokens (contractions expanded, both halves at the same place). */
export function sentencesOf(text: string): Token[][] {
  const out: Token[][] = [];
  for (const sentence of SENTENCES.segment(text)) {
    const tokens: Token[] = [];
    for (const part of WORDS.segment(sentence.segment)) {
      if (!part.isWordLike) continue;
      const start = sentence.index + part.index;
      const end = start + part.segment.length;
      const word = foldWord(part.segment);
      for (const piece of CONTRACTIONS[word] ?? [word]) tokens.push({ word: piece, start, end });
    }
    if (tokens.length > 0) out.push(tokens);
  }
  return out;
}

/** A phrase written as plain words, folded the same way ("don't call me" → do, not, call, me). */
export function phraseWords(phrase: string): string[] {
  return sentencesOf(phrase).flatMap((tokens) => tokens.map((t) => t.word));
}
