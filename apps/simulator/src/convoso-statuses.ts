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

/** Which simulated account answers: the production account's 72 codes, or one that sells with S/SOLD. */
export type ConvosoAccount = "production" | "sold";

type Flag = "final" | "reached" | "success" | "dnc" | "callback" | "contact" | "voicemail";

function status(code: string, name: string, flags: Flag[] = []): ConvosoStatus {
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

const HUMAN: Flag[] = ["reached", "contact"];
const DNC: Flag[] = ["final", "dnc"];

/** Everything but the sale, in the production account's kinds (outcome-facts.md, 71 codes). */
const COMMON: readonly ConvosoStatus[] = [
  // transfers (a person answered)
  status("ACA", "ACA Transfer", HUMAN),
  status("BASACA", "Alternate ACA Transfer", HUMAN),
  status("FRONT", "Front Hand-off", HUMAN),
  status("FRNTRS", "Front Transfer", HUMAN),
  status("SPA", "Transfer to Spanish", HUMAN),
  status("TCR", "Transfer to Customer Service", HUMAN),
  // requests
  status("A", "Answering Machine", ["voicemail"]),
  status("CB", "Callback", [...HUMAN, "callback"]),
  status("POST", "Post Date", [...HUMAN, "callback"]),
  status("1095A", "Wants 1095-A Form", HUMAN),
  status("REQID", "Wants ID Card Number", HUMAN),
  // negative
  status("NI", "Not Interested", HUMAN),
  status("NOTA", "Not Available", HUMAN),
  status("BACA", "Bad State - Cannot Sell", [...HUMAN, "final"]),
  status("CA", "Cannot Afford", HUMAN),
  status("NOTCOV", "Not Looking for Coverage", HUMAN),
  status("PIKER", "Declined Sale", HUMAN),
  status("MGMTNQ", "Disqualified", [...HUMAN, "final"]),
  status("CD", "Customer Disconnected", HUMAN),
  status("MCAID", "Medicaid Inquiry", HUMAN),
  status("MCARE", "Medicare Inquiry", HUMAN),
  status("TRICAR", "Tricare Inquiry", HUMAN),
  // bad number (a person answered)
  status("WRONG", "Wrong Number", ["reached", "final"]),
  status("BPN", "Bad Phone Number", ["final"]),
  // no contact
  status("NA", "No Answer"),
  status("NAIC", "No Answer - Autodial"),
  status("NRA", "No Route Available"),
  status("NEW", "New Lead"),
  status("B", "Busy"),
  status("CALLHU", "Caller Hung Up"),
  status("PBXHU", "PBX Hung Up"),
  status("AH", "Answered & Hung Up"),
  status("DONE", "Done"),
  status("REJ", "Rejected"),
  status("PU", "Picked Up"),
  status("INCOMP", "Incomplete"),
  status("INCALL", "In Call"),
  status("N", "Dead Air"),
  status("OI", "Operator Intercept"),
  // bad number / network
  status("DC", "Disconnected Number", ["final"]),
  status("NORD", "Network Out of Order"),
  status("CG", "Congestion"),
  status("CGD", "Congestion - Account Disconnected"),
  status("CGO", "Congestion - Out of Order"),
  status("CGT", "Congestion - Temporary"),
  // DNC family
  status("DNC", "Do Not Call", DNC),
  status("DNCA", "Do Not Call Again - Customer Asked", [...DNC, "reached", "contact"]),
  status("DNCC", "Campaign DNC", DNC),
  status("DNCDEC", "Carrier Received Decline", DNC),
  status("DNCL", "DNC Hopper Match", DNC),
  status("DNCLCC", "Lead Consent Concern", DNC),
  status("DNCNFD", "Carrier - Number Not Found", DNC),
  status("DNCQ", "DNC Queue", DNC),
  status("DNCRT", "DNC Real-time Match", DNC),
  status("DNCW", "DNC Wireless", DNC),
  // machine / detection
  status("AA", "Answering Machine Auto", ["voicemail"]),
  status("AM", "Answering Machine - Message Left", ["voicemail"]),
  status("AFAX", "Fax Machine"),
  status("FASD", "False Answer Supervision"),
  status("CIDB", "Blocked Caller ID"),
  // agent / queue
  status("AHXFER", "Answered & Hung Up on Transfer"),
  status("DROP", "Dropped Call"),
  status("ERI", "Agent Error"),
  status("LOGOUT", "Agent Logged Out"),
  status("IMPL", "Implied Hang Up"),
  status("PXDROP", "Proxy Drop"),
  status("QDROP", "Queue Drop"),
  status("WAITTO", "Wait Timeout"),
  status("XDROP", "Transfer Drop"),
  status("PDROP", "Pre-route Drop"),
  status("FORBID", "Forbidden"),
];

const SALE_FLAGS: Flag[] = ["final", "reached", "success", "contact"];

export const CONVOSO_ACCOUNTS: Readonly<Record<ConvosoAccount, readonly ConvosoStatus[]>> = {
  production: [status("SALE", "Sale", SALE_FLAGS), ...COMMON],
  sold: [status("S", "Sold", SALE_FLAGS), status("SOLD", "Sold - Closer", SALE_FLAGS), ...COMMON],
};

export function findConvosoStatus(account: ConvosoAccount, code: string): ConvosoStatus | undefined {
  const wanted = code.toUpperCase();
  return CONVOSO_ACCOUNTS[account].find((s) => s.status === wanted);
}

export function searchConvosoStatuses(account: ConvosoAccount, query: string | undefined): ConvosoStatus[] {
  const statuses = CONVOSO_ACCOUNTS[account];
  if (query === undefined || query.trim() === "") return [...statuses];
  const q = query.trim().toLowerCase();
  return statuses.filter((s) => s.status.toLowerCase() === q || s.name.toLowerCase().includes(q));
}

/** A status's name in whichever simulated account lists it (lead rows carry `status_name`). */
export function statusNameOf(code: string): string | undefined {
  for (const account of Object.keys(CONVOSO_ACCOUNTS) as ConvosoAccount[]) {
    const found = findConvosoStatus(account, code);
    if (found) return found.name;
  }
  return undefined;
}
