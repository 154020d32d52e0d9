import { FOR_GOOD_WORDS, OPT_OUT_LANGUAGES } from "./data/opt-out-phrases.ts";
import {
  type CompiledPattern,
  compilePattern,
  findMatches,
  matchesAt,
  type PatternMatch,
} from "./phrase-pattern.ts";
import { sentencesOf, type Token } from "./text-tokens.ts";

/**
 * Spoken opt-out detection over free text: phrase tables (data/opt-out-phrases.ts, English and
 * Spanish) matched on word boundaries, sentence by sentence, skipping a phrase that a negator takes
 * back ("I didn't say stop calling me", "no, don't remove me") or a deferral limits to a moment
 * ("don't call me tomorrow"). Answers the phrase as it was said, for the outcome's reason.
 */

interface Tables {
  spoken: CompiledPattern[];
  reported: CompiledPattern[];
  negators: CompiledPattern[];
  distantNegators: CompiledPattern[];
  deferrals: CompiledPattern[];
}

const compileAll = (rows: readonly string[]) => rows.map(compilePattern);
const TABLES: Tables = {
  spoken: compileAll(OPT_OUT_LANGUAGES.flatMap((l) => l.spoken)),
  reported: compileAll(OPT_OUT_LANGUAGES.flatMap((l) => l.reported)),
  negators: compileAll(OPT_OUT_LANGUAGES.flatMap((l) => l.negators)),
  distantNegators: compileAll(OPT_OUT_LANGUAGES.flatMap((l) => l.distantNegators)),
  deferrals: compileAll(OPT_OUT_LANGUAGES.flatMap((l) => l.deferrals)),
};
const FOR_GOOD = new Set(FOR_GOOD_WORDS);
const CLAUSE_BREAK = /[,;:!?.—–]/;
const NEAR_WORDS = 1;
const DISTANT_WORDS = 4;

/**
 * The first opt-out said in `text`, as written there, or null. `reported` adds the third-person
 * forms a call summary uses ("asked to be removed from the list").
 */
export function findOptOutPhrase(text: string, options: { reported?: boolean } = {}): string | null {
  if (text.trim() === "") return null;
  const patterns = options.reported ? [...TABLES.spoken, ...TABLES.reported] : TABLES.spoken;
  for (const tokens of sentencesOf(text)) {
    for (const pattern of patterns) {
      for (const match of findMatches(pattern, tokens)) {
        if (isTakenBack(text, tokens, match) || isDeferred(text, tokens, match)) continue;
        return text.slice(tokens[match.start]?.start, tokens[match.end - 1]?.end);
      }
    }
  }
  return null;
}

function isTakenBack(text: string, tokens: readonly Token[], match: PatternMatch): boolean {
  return (
    negatedBy(TABLES.negators, NEAR_WORDS, text, tokens, match) ||
    negatedBy(TABLES.distantNegators, DISTANT_WORDS, text, tokens, match)
  );
}

function negatedBy(
  negators: readonly CompiledPattern[],
  maxWordsBetween: number,
  text: string,
  tokens: readonly Token[],
  match: PatternMatch,
): boolean {
  const before = tokens.slice(0, match.start);
  return negators.some((negator) =>
    findMatches(negator, before).some(
      (n) =>
        match.start - n.end <= maxWordsBetween &&
        !breaksClause(text, tokens, n.end, match.start) &&
        !repeatsPhrase(tokens, n, match),
    ),
  );
}

/** "no, no me llamen" / "don't, don't call me": the phrase's own first words again are emphasis. */
function repeatsPhrase(tokens: readonly Token[], negator: PatternMatch, match: PatternMatch): boolean {
  const length = negator.end - negator.start;
  for (let i = 0; i < length; i++)
    if (tokens[negator.start + i]?.word !== tokens[match.start + i]?.word) return false;
  return true;
}

/** Punctuation between the end of one token run and the start of the next closes the clause. */
function breaksClause(text: string, tokens: readonly Token[], endIndex: number, startIndex: number): boolean {
  const from = tokens[endIndex - 1]?.end ?? 0;
  const to = tokens[startIndex]?.start ?? text.length;
  return CLAUSE_BREAK.test(text.slice(from, to));
}

function isDeferred(text: string, tokens: readonly Token[], match: PatternMatch): boolean {
  for (let i = match.start; i < match.end; i++) if (FOR_GOOD.has(tokens[i]?.word ?? "")) return false;
  if (match.end >= tokens.length || breaksClause(text, tokens, match.end, match.end)) return false;
  return TABLES.deferrals.some((deferral) => matchesAt(deferral, tokens, match.end));
}
