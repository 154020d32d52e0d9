import { AREA_CODES } from "./data/area-codes.ts";
import { STATE_TIMEZONES, ZONES, type ZoneKey } from "./data/timezones.ts";
import { areaCodeOf } from "./phone.ts";
import { sameClock } from "./same-clock.ts";

export interface LeadLocationInput {
  /** E.164 */
  phone: string;
  state?: string | null;
  zip?: string | null;
  /** the ZIP's IANA zone, resolved outside this package (packages/geo) */
  zipTimezone?: string | null;
  /** the ZIP's state, resolved outside this package */
  zipState?: string | null;
}

export interface LeadLocation {
  /** IANA, sorted, unique: the lead is called only when it is legal in ALL of them */
  timezones: string[];
  /** every applicable state: stated, the ZIP's, the area code's */
  states: string[];
}

/**
 * Where a lead may be. Zones: the ZIP's zone when known, otherwise every zone of the lead's states;
 * PLUS every zone of the phone's area code (a mobile number may live elsewhere than its address);
 * PLUS every zone of the stated state when the ZIP's zone keeps none of their clocks (state AK,
 * Seattle ZIP: the sources disagree, so all candidates are kept, compliance.md "Timezone of a
 * lead"). Zones are compared by clock (same-clock.ts): an Indianapolis ZIP agrees with Indiana's
 * Eastern time, a Juneau ZIP with Alaska's; a zone with the clock of one already kept is not added.
 * States: stated, ZIP's and area code's (any Oklahoma area code presumes an Oklahoma resident).
 */
export function leadLocation(input: LeadLocationInput): LeadLocation {
  const area = AREA_CODES.get(areaCodeOf(input.phone) ?? "");
  const declaredStates = [stateCode(input.state), stateCode(input.zipState)].filter(
    (s): s is string => s !== null,
  );
  const zones: string[] = [];
  const add = (zone: string) => {
    if (!zones.some((kept) => sameClock(kept, zone))) zones.push(zone);
  };
  const zipZone = input.zipTimezone?.trim();
  const stateZones = (state: string) => (STATE_TIMEZONES[state] ?? []).map(zoneName);
  if (zipZone) {
    add(zipZone);
    const stated = stateCode(input.state);
    if (stated && !stateZones(stated).some((zone) => sameClock(zone, zipZone)))
      stateZones(stated).forEach(add);
  } else for (const state of declaredStates) stateZones(state).forEach(add);
  for (const key of area?.zones ?? []) add(zoneName(key));
  const states = new Set(declaredStates);
  if (area) states.add(area.state);
  return { timezones: zones.sort(), states: [...states].sort() };
}

function zoneName(key: ZoneKey): string {
  return ZONES[key];
}

function stateCode(value: string | null | undefined): string | null {
  const code = value?.trim().toUpperCase() ?? "";
  return code in STATE_TIMEZONES ? code : null;
}
