/**
 * ZIP code → state and IANA timezone, offline: `zipcodes` gives the ZIP's state and centroid,
 * `geo-tz` finds the timezone polygon that holds it. Reads data files, so it lives outside the
 * pure domain package; the result feeds `leadLocation()` as zipState / zipTimezone.
 */
export { lookupZip, type ZipLocation } from "./zip-location.ts";
