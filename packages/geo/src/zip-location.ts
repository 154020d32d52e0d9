import { find, setCache } from "geo-tz";
import { LRUCache } from "lru-cache";
import zipcodes from "zipcodes";

export interface ZipLocation {
  zip: string;
  state: string;
  /** The zone at the ZIP's centroid; undefined when the ZIP is unknown or spans no US zone. */
  timezone: string | undefined;
}

// geo-tz caches every polygon tile it reads, without bound: a backfill over many ZIPs grew the
// process towards the whole dataset (1.4 GB when preloaded). A small LRU keeps its heap flat
// (measured: 37 MB after 1,000 or 60,000 lookups); answers are memoized per ZIP (at most the
// ~42,000 US ZIPs, a few MB).
setCache({ store: new LRUCache<string, object>({ max: 32 }) });
const answers = new LRUCache<string, ZipLocation | false>({ max: 50_000 });

/** The state and timezone of a 5-digit US ZIP, or undefined when the ZIP is unknown. */
export function lookupZip(zip: string): ZipLocation | undefined {
  const five = /^\d{5}/.exec(zip.trim())?.[0];
  if (!five) return undefined;
  const known = answers.get(five);
  if (known !== undefined) return known || undefined;
  const answer = locate(five);
  answers.set(five, answer ?? false);
  return answer;
}

function locate(five: string): ZipLocation | undefined {
  const place = zipcodes.lookup(five);
  if (!place || typeof place.latitude !== "number" || typeof place.longitude !== "number") return undefined;
  const zones = find(place.latitude, place.longitude).filter(
    (zone) => zone.startsWith("America/") || zone.startsWith("Pacific/"),
  );
  return { zip: five, state: place.state, timezone: zones[0] };
}
