/**
 * Text PostgreSQL cannot store: a NUL character (`text` and `jsonb` refuse U+0000) and an unpaired
 * UTF-16 surrogate (`jsonb` refuses `\ud800`; a `text` column would silently get U+FFFD). Input
 * that we store field by field is refused when it carries them (the field is named); a raw event
 * that must be kept whole (a webhook body) is stored with them stripped.
 */

export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes("\0");
}

/** NULs removed, unpaired surrogates replaced by U+FFFD (what a UTF-8 encoder writes for them). */
export function storableText(text: string): string {
  return isStorableText(text) ? text : text.toWellFormed().replaceAll("\0", "");
}

/**
 * The path (`leads[3].first_name`, `body` for the value itself) of the first string or object key
 * that holds unstorable text, or undefined. Walks without recursion, so any depth is safe.
 */
export function findUnstorableText(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: "" }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: string };
    if (typeof current === "string") {
      if (!isStorableText(current)) return path || "body";
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: `${path}[${i}]` });
    } else if (current !== null && typeof current === "object") {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        const childPath = path ? `${path}.${storableText(key)}` : storableText(key);
        if (!isStorableText(key)) return childPath;
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return undefined;
}

/**
 * A copy of a parsed JSON value whose strings and keys are all storable (see storableText).
 * Recursive: callers bound the depth first (the API's JSON parser refuses deeper than 32 levels).
 */
export function withStorableText(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(withStorableText);
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) copy[storableText(key)] = withStorableText(child);
    return copy;
  }
  return value;
}
