/** Deterministic randomness: a stateless hash of (seed, index, salt) and a small stream generator. */

/** A 32-bit avalanche hash (murmur3 finalizer) of several integers. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h = Math.imul(h ^ Math.floor(part / 4294967296), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export type Rng = () => number;

/** mulberry32: a uniform [0, 1) stream from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The stream for item `index` of a seeded family, independent of every other item. */
export function rngFor(seed: number, index: number, salt = 0): Rng {
  return createRng(hash32(seed, index, salt));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new RangeError("pick: empty list");
  return item;
}

export function between(rng: Rng, min: number, max: number): number {
  return min + rng() * (max - min);
}

/** Picks a key with probability proportional to its weight; the first key when all weights are 0. */
export function weighted<K extends string>(rng: Rng, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as Array<[K, number]>;
  const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
  let roll = rng() * total;
  for (const [key, w] of entries) {
    roll -= Math.max(0, w);
    if (roll < 0) return key;
  }
  const first = entries[0];
  if (first === undefined) throw new RangeError("weighted: no outcomes to choose from");
  return first[0];
}
