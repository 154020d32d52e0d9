/**
 * The outcome classifier's cost per webhook: normalizeOutcome (spoken opt-outs in the transcript,
 * the callback time, labels, transfer facts) over the corpus's ended-call bodies (@redial/fixtures,
 * the webhook-intake bench's outcome mix), against a baseline in the same run: JSON.parse of the
 * same bodies' bytes (what every delivery costs anyway). Prints µs per body and the ratio.
 *
 *   node --experimental-strip-types tools/bench/src/outcome-classifier.ts [rounds=200]
 */
import { type BlandCall, normalizeOutcome } from "@redial/domain";
import { loadBlandCases } from "@redial/fixtures";

const rounds = Number(process.argv[2] ?? 200);
const bodies = loadBlandCases()
  .flatMap((family) => family.cases)
  .filter((c) => c.shape === "webhook")
  .map((c) => c.body as BlandCall);
const texts = bodies.map((b) => JSON.stringify(b));
const now = new Date("2026-12-07T16:00:00Z");
const rules = { answeredMinSeconds: 10, callbackZone: "America/New_York", now };

function timePerBody(run: () => void): number {
  run(); // warm-up round: JIT, lazy tables
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) run();
  return Number(process.hrtime.bigint() - started) / 1000 / (rounds * bodies.length);
}

let sink = 0;
const parse = timePerBody(() => {
  for (const t of texts) sink += (JSON.parse(t) as object) ? 1 : 0;
});
const classify = timePerBody(() => {
  for (const b of bodies) sink += normalizeOutcome(b, rules).outcome.length;
});
console.log(`${bodies.length} webhook bodies of the corpus × ${rounds} rounds`);
console.log(`baseline JSON.parse of the body: ${parse.toFixed(1)} µs per body`);
console.log(
  `normalizeOutcome:               ${classify.toFixed(1)} µs per body (${(classify / parse).toFixed(1)}× the parse)`,
);
console.log(`command: node --experimental-strip-types tools/bench/src/outcome-classifier.ts ${rounds}`);
if (sink < 0) console.log(sink);
