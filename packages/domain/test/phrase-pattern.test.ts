import { describe, expect, it } from "vitest";
import { compilePattern, findMatches } from "../src/phrase-pattern.ts";
import { sentencesOf } from "../src/text-tokens.ts";

const words = (text: string) => sentencesOf(text)[0] ?? [];

describe("a phrase pattern's first words (what lets findMatches skip positions)", () => {
  it("a plain phrase begins with its first word", () => {
    expect(compilePattern("stop calling me").firstWords).toEqual(new Set(["stop"]));
  });

  it("an optional leading word adds the words after it", () => {
    expect(compilePattern("[please] (stop|quit) calling").firstWords).toEqual(
      new Set(["please", "stop", "quit"]),
    );
  });

  it("an alternative that may be empty adds what follows it; contractions are their first word", () => {
    expect(compilePattern("(don't|) call me").firstWords).toEqual(new Set(["do", "call"]));
  });

  it("a leading gap lets any word begin a match", () => {
    expect(compilePattern("… list").firstWords).toBeNull();
    expect(compilePattern("[…] list").firstWords).toBeNull();
  });

  it("matches are the same with the skip: every start a match begins at, and no other", () => {
    const pattern = compilePattern("[please] (stop|quit) (calling|texting) [me|us]");
    const sentence = words("Okay please stop calling me, and quit texting us now, stop it");
    expect(findMatches(pattern, sentence)).toEqual([
      { start: 1, end: 5 },
      { start: 2, end: 5 },
      { start: 6, end: 9 },
    ]);
  });
});
