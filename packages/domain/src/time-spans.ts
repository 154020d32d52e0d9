/** A half-open span of time [start, end) in epoch milliseconds (a calling window's open hours of a day). */
export interface TimeSpan {
  start: number;
  end: number;
}

/** Intersection of two sorted lists of disjoint time spans. */
export function intersectSpans(a: readonly TimeSpan[], b: readonly TimeSpan[]): TimeSpan[] {
  const out: TimeSpan[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}
