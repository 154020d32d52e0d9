import { find } from "geo-tz";
import zipcodes from "zipcodes";

export interface ZipLocation {
  zip: string;
  state: string;
  /** The zone at the ZIP's centroid; undefined when the ZIP is unknown or spans no US zone. */
  timezone: string | undefined;
}

/** The state and timezone of a 5-digit US ZIP, or undefined when the ZIP is unknown. */
export function lookupZip(zip: string): ZipLocation | undefined {
  const five = /^\d{5}/.exec(zip.trim())?.[0];
  if (!five) return undefined;
  const place = zipcodes.lookup(five);
  if (!place || typeof place.latitude !== "number" || typeof place.longitude !== "number") return undefined;
  const zones = find(place.latitude, place.longitude).filter(
    (zone) => zone.startsWith("America/") || zone.startsWith("Pacific/"),
  );
  return { zip: five, state: place.state, timezone: zones[0] };
}
