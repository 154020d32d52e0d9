/** The account's statuses as /status/search lists them; flags are "Y"/"N" like Convoso's. */
export interface ConvosoStatus {
  status: string;
  name: string;
  final: "Y" | "N";
  reached: "Y" | "N";
  success: "Y" | "N";
  dnc: "Y" | "N";
  callback: "Y" | "N";
  contact: "Y" | "N";
  voicemail: "Y" | "N";
}

type Flag = "final" | "reached" | "success" | "dnc" | "callback" | "contact" | "voicemail";

function status(code: string, name: string, flags: Flag[]): ConvosoStatus {
  const yn = (flag: Flag) => (flags.includes(flag) ? "Y" : "N");
  return {
    status: code,
    name,
    final: yn("final"),
    reached: yn("reached"),
    success: yn("success"),
    dnc: yn("dnc"),
    callback: yn("callback"),
    contact: yn("contact"),
    voicemail: yn("voicemail"),
  };
}

export const CONVOSO_STATUSES: readonly ConvosoStatus[] = [
  status("NEW", "New Lead", []),
  status("N", "Not Contacted", []),
  status("SALE", "Sale", ["final", "reached", "success", "contact"]),
  status("DNC", "Do Not Call", ["final", "reached", "dnc", "contact"]),
  status("DNCL", "Do Not Call - Litigator", ["final", "dnc"]),
  status("DNCC", "Do Not Call - Cell", ["final", "dnc"]),
  status("DNCW", "Do Not Call - Wireless", ["final", "dnc"]),
  status("DNCQ", "Do Not Call - Requested", ["final", "reached", "dnc", "contact"]),
  status("NA", "No Answer", []),
  status("B", "Busy", []),
  status("A", "Answering Machine", ["voicemail"]),
  status("AM", "Answering Machine Message Left", ["voicemail"]),
  status("CB", "Callback", ["reached", "callback", "contact"]),
  status("NI", "Not Interested", ["reached", "contact"]),
  status("XFER", "Transferred", ["reached", "contact"]),
  status("ACA", "Answered - Call Abandoned", ["reached"]),
  status("DC", "Disconnected Number", ["final"]),
  status("DROP", "Dropped Call", []),
];

const BY_CODE = new Map(CONVOSO_STATUSES.map((s) => [s.status, s]));

export function findConvosoStatus(code: string): ConvosoStatus | undefined {
  return BY_CODE.get(code.toUpperCase());
}

export function searchConvosoStatuses(query: string | undefined): ConvosoStatus[] {
  if (query === undefined || query.trim() === "") return [...CONVOSO_STATUSES];
  const q = query.trim().toLowerCase();
  return CONVOSO_STATUSES.filter((s) => s.status.toLowerCase() === q || s.name.toLowerCase().includes(q));
}
