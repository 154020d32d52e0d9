import { phraseWords, type Token } from "./text-tokens.ts";

/**
 * A phrase pattern as data a compliance officer can read and extend:
 * - plain words match folded words ("quíteme" = "quiteme", "don't" = "do not");
 * - `(a|b c)` one of the alternatives, `[a|b c]` an optional one;
 * - `…` up to three words of anything ("take me off … list": "take me off your calling list").
 */
type Element =
  | { kind: "word"; word: string }
  | { kind: "choice"; options: Element[][]; optional: boolean }
  | { kind: "gap"; max: number };

export interface CompiledPattern {
  source: string;
  elements: Element[];
  /** The words a match can begin with; null when any word can (a leading gap). */
  firstWords: ReadonlySet<string> | null;
}

const GAP_WORDS = 3;

export function compilePattern(source: string): CompiledPattern {
  const [elements, rest] = parseSequence(source.trim(), "");
  if (rest.trim() !== "") throw new Error(`Unbalanced phrase pattern: ${source}`);
  return { source, elements, firstWords: firstWordsOf(elements, 0, null) };
}

/**
 * The words a match of elements[i…] followed by `follow` can begin with (null: any word). Lets
 * findMatches skip, without walking the pattern, every position no match can start at.
 */
function firstWordsOf(
  elements: readonly Element[],
  i: number,
  follow: Set<string> | null,
): Set<string> | null {
  const element = elements[i];
  if (element === undefined) return follow;
  switch (element.kind) {
    case "word":
      return new Set([element.word]);
    case "gap":
      return null;
    case "choice": {
      const rest = firstWordsOf(elements, i + 1, follow);
      const words = new Set<string>();
      for (const option of element.options) {
        const first = firstWordsOf(option, 0, rest);
        if (first === null) return null;
        for (const word of first) words.add(word);
      }
      if (!element.optional) return words;
      if (rest === null) return null;
      for (const word of rest) words.add(word);
      return words;
    }
    default: {
      const unknown: never = element;
      throw new Error(`Unknown pattern element ${String(unknown)}`);
    }
  }
}

/** Parses up to (not including) a closing character in `stops`; returns the elements and the rest. */
function parseSequence(text: string, stops: string): [Element[], string] {
  const elements: Element[] = [];
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    const head = rest[0];
    if (head === undefined || stops.includes(head)) return [elements, rest];
    if (head === "(" || head === "[") {
      const [options, after] = parseChoice(rest.slice(1), head === "(" ? ")" : "]");
      elements.push({ kind: "choice", options, optional: head === "[" });
      rest = after;
    } else if (head === "…") {
      elements.push({ kind: "gap", max: GAP_WORDS });
      rest = rest.slice(1);
    } else {
      const word = /^[^\s()[\]|…]+/.exec(rest)?.[0] ?? "";
      if (word === "") throw new Error(`Unexpected "${head}" in phrase pattern`);
      for (const w of phraseWords(word)) elements.push({ kind: "word", word: w });
      rest = rest.slice(word.length);
    }
  }
}

function parseChoice(text: string, close: string): [Element[][], string] {
  const options: Element[][] = [];
  let rest = text;
  for (;;) {
    const [option, after] = parseSequence(rest, `|${close}`);
    options.push(option);
    if (after[0] === "|") rest = after.slice(1);
    else if (after[0] === close) return [options, after.slice(1)];
    else throw new Error(`Missing "${close}" in phrase pattern`);
  }
}

/** Every end index (exclusive) at which elements[i…] match `tokens` from `at`. */
function matchFrom(elements: readonly Element[], i: number, tokens: readonly Token[], at: number): number[] {
  const element = elements[i];
  if (element === undefined) return [at];
  switch (element.kind) {
    case "word":
      return tokens[at]?.word === element.word ? matchFrom(elements, i + 1, tokens, at + 1) : [];
    case "gap": {
      const ends: number[] = [];
      for (let skip = 0; skip <= element.max && at + skip <= tokens.length; skip++)
        ends.push(...matchFrom(elements, i + 1, tokens, at + skip));
      return ends;
    }
    case "choice": {
      const ends: number[] = [];
      for (const option of element.options)
        for (const end of matchFrom(option, 0, tokens, at))
          ends.push(...matchFrom(elements, i + 1, tokens, end));
      if (element.optional) ends.push(...matchFrom(elements, i + 1, tokens, at));
      return ends;
    }
    default: {
      const unknown: never = element;
      throw new Error(`Unknown pattern element ${String(unknown)}`);
    }
  }
}

/** Whether a match of the pattern may start at the token (its word can begin one). */
function mayStartAt(pattern: CompiledPattern, token: Token | undefined): boolean {
  return token !== undefined && (pattern.firstWords === null || pattern.firstWords.has(token.word));
}

export interface PatternMatch {
  /** token indexes [start, end) in the sentence */
  start: number;
  end: number;
}

/** The longest match of the pattern starting at each position of the sentence, left to right. */
export function findMatches(pattern: CompiledPattern, tokens: readonly Token[]): PatternMatch[] {
  const found: PatternMatch[] = [];
  for (let start = 0; start < tokens.length; start++) {
    if (!mayStartAt(pattern, tokens[start])) continue;
    const ends = matchFrom(pattern.elements, 0, tokens, start).filter((end) => end > start);
    if (ends.length > 0) found.push({ start, end: Math.max(...ends) });
  }
  return found;
}

/** True when the pattern matches the words ending exactly at `end` (exclusive), starting anywhere from `from`. */
export function matchesEndingAt(
  pattern: CompiledPattern,
  tokens: readonly Token[],
  from: number,
  end: number,
): boolean {
  for (let start = Math.max(0, from); start < end; start++)
    if (mayStartAt(pattern, tokens[start]) && matchFrom(pattern.elements, 0, tokens, start).includes(end))
      return true;
  return false;
}

/** True when the pattern matches the words starting exactly at `start`. */
export function matchesAt(pattern: CompiledPattern, tokens: readonly Token[], start: number): boolean {
  return (
    mayStartAt(pattern, tokens[start]) &&
    matchFrom(pattern.elements, 0, tokens, start).some((end) => end > start)
  );
}
