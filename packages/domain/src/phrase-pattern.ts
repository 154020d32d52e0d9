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
}

const GAP_WORDS = 3;

export function compilePattern(source: string): CompiledPattern {
  const [elements, rest] = parseSequence(source.trim(), "");
  if (rest.trim() !== "") throw new Error(`Unbalanced phrase pattern: ${source}`);
  return { source, elements };
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

/** Every end index (exclusive) at which `elements` match `tokens` from `at`. */
function matchFrom(elements: readonly Element[], tokens: readonly Token[], at: number): number[] {
  const [first, ...rest] = elements;
  if (first === undefined) return [at];
  switch (first.kind) {
    case "word":
      return tokens[at]?.word === first.word ? matchFrom(rest, tokens, at + 1) : [];
    case "gap": {
      const ends: number[] = [];
      for (let skip = 0; skip <= first.max && at + skip <= tokens.length; skip++)
        ends.push(...matchFrom(rest, tokens, at + skip));
      return ends;
    }
    case "choice": {
      const ends: number[] = [];
      for (const option of first.options)
        for (const end of matchFrom(option, tokens, at)) ends.push(...matchFrom(rest, tokens, end));
      if (first.optional) ends.push(...matchFrom(rest, tokens, at));
      return ends;
    }
    default: {
      const unknown: never = first;
      throw new Error(`Unknown pattern element ${String(unknown)}`);
    }
  }
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
    const ends = matchFrom(pattern.elements, tokens, start).filter((end) => end > start);
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
    if (matchFrom(pattern.elements, tokens, start).includes(end)) return true;
  return false;
}

/** True when the pattern matches the words starting exactly at `start`. */
export function matchesAt(pattern: CompiledPattern, tokens: readonly Token[], start: number): boolean {
  return matchFrom(pattern.elements, tokens, start).some((end) => end > start);
}
