import { z } from "zod";

/** An admin API key and the name changes made with it are recorded under. */
export interface ApiKey {
  name: string;
  key: string;
}

const NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * API_KEYS entries: `name:key` (`ops:k1,alice:k2`), or a bare key, named `key-N` by its position
 * (N from 1), the form keys had before they had names. The first colon separates the name.
 */
export function parseApiKeys(entries: readonly (string | ApiKey)[]): ApiKey[] {
  return entries.map((entry, index) => {
    if (typeof entry !== "string") return entry;
    const colon = entry.indexOf(":");
    const name = colon > 0 ? entry.slice(0, colon) : "";
    return NAME.test(name) ? { name, key: entry.slice(colon + 1) } : { name: `key-${index + 1}`, key: entry };
  });
}

/** API_KEYS as the environment states it: `name:key` or bare keys, comma-separated. */
export const apiKeysSchema = z
  .array(z.string())
  .transform((entries) => parseApiKeys(entries))
  .pipe(
    z
      .array(
        z.object({
          name: z.string(),
          key: z.string().min(8, "each API key needs at least 8 characters"),
        }),
      )
      .min(1, "at least one key")
      .refine((keys) => new Set(keys.map((k) => k.name)).size === keys.length, {
        message: "two keys have the same name: give each `name:key` a name of its own",
      }),
  );
