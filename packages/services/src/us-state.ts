import { states } from "states-us";

/**
 * The 50 states, DC and the five inhabited US territories (PR, VI, GU, MP, AS), from `states-us`.
 * Palau is in that list but is a sovereign state with a USPS code, not a US territory: left out.
 */
const US_STATES = states.filter((state) => state.abbreviation !== "PW");

const BY_KEY = new Map<string, string>();
for (const state of US_STATES) {
  BY_KEY.set(state.abbreviation.toLowerCase(), state.abbreviation);
  BY_KEY.set(nameKey(state.name), state.abbreviation);
}

function nameKey(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, " ");
}

/**
 * The two-letter code of a US state or territory written as its code or its full name, in any
 * case ("FL", "fl", "Florida", "FLORIDA", "new  york"); undefined for anything else ("XX").
 */
export function usStateCode(text: string): string | undefined {
  return BY_KEY.get(nameKey(text));
}
