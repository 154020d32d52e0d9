import type { z } from "zod";
import { BadRequest } from "./errors.ts";

/** A page's position as an opaque string (base64url JSON): clients pass back `next_cursor` as is. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new BadRequest("cursor: pass back the next_cursor of the previous page unchanged.");
  }
}
