/** A seeded PRNG (mulberry32) so a failing chaos or fuzz run can be replayed with its printed seed. */
export type Prng = ReturnType<typeof createPrng>;

export function createPrng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    /** An integer in [min, max]. */
    int,
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
    /** An RFC 4122 version-4 UUID drawn from this stream (zod's `uuid()` checks version and variant). */
    uuid() {
      const hex = Array.from({ length: 32 }, () => int(0, 15).toString(16));
      hex[12] = "4";
      hex[16] = (8 + int(0, 3)).toString(16);
      const s = hex.join("");
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}

/** The seed from `envName` if set (to replay a run), else a fresh one. */
export function seedFrom(envName: string) {
  const configured = process.env[envName];
  if (configured !== undefined && configured !== "") {
    const seed = Number(configured);
    if (!Number.isInteger(seed)) throw new Error(`${envName} must be an integer, got ${configured}`);
    return seed >>> 0;
  }
  return Math.floor(Math.random() * 2 ** 32);
}
