/**
 * The sync route's bucket as arithmetic (GCRA on a theoretical arrival time, TAT): what `classify`
 * makes of a stored bucket, the burst it allows and the interval it refills by. Its writes on a real
 * table: admission.test.ts.
 */
import { describe, expect, it } from "vitest";
import * as SyncRateLimit from "@awsomepets/core/callbacks/rate-limit";

const rate: SyncRateLimit.SyncRate = { perSecond: 2, burst: 5 };
const now = 1_000_000;

describe("SyncRateLimit", () => {
  it("refills one message per 1/perSecond and allows at least two in a burst", () => {
    // Act / Assess
    expect(SyncRateLimit.intervalMs(rate)).toBe(500);
    expect(SyncRateLimit.effectiveBurst(rate)).toBe(5);
    expect(SyncRateLimit.effectiveBurst({ perSecond: 2, burst: 1 })).toBe(2);
    expect(SyncRateLimit.effectiveBurst({ perSecond: 2, burst: 3.9 })).toBe(3);
    expect(SyncRateLimit.admitUpTo(rate, now)).toBe(now + 4 * 500);
  });

  it("classifies an empty or caught-up bucket as idle", () => {
    // Act / Assess
    expect(SyncRateLimit.classify({}, rate, now)).toEqual({ kind: "idle" });
    expect(SyncRateLimit.classify({ idleTat: now, burstTat: now - 1 }, rate, now)).toEqual({ kind: "idle" });
  });

  it("classifies a TAT within the burst as burst, the later of the two TATs counting", () => {
    // Act / Assess
    expect(SyncRateLimit.classify({ idleTat: now + 500 }, rate, now)).toEqual({ kind: "burst" });
    expect(SyncRateLimit.classify({ idleTat: now + 500, burstTat: now + 2000 }, rate, now)).toEqual({ kind: "burst" });
    expect(SyncRateLimit.tatOf({ idleTat: now + 500, burstTat: now + 2000 })).toBe(now + 2000);
  });

  it("refuses past the burst, telling the first refusal of a streak only", () => {
    // Prepare: a bucket one interval past the burst
    const full = { idleTat: now + 500, burstTat: now + 2500 };
    // Act / Assess
    expect(SyncRateLimit.classify(full, rate, now)).toEqual({ kind: "limited", tell: true });
    expect(SyncRateLimit.classify({ ...full, toldTat: now + 2500 }, rate, now)).toEqual({
      kind: "limited",
      tell: false,
    });
  });

  it("lets the same bucket through again once time has caught up with its TAT", () => {
    // Prepare
    const full = { idleTat: now + 500, burstTat: now + 2500, toldTat: now + 2500 };
    // Act / Assess: one interval later there is room for one; at the TAT it is idle
    expect(SyncRateLimit.classify(full, rate, now + 500)).toEqual({ kind: "burst" });
    expect(SyncRateLimit.classify(full, rate, now + 2500)).toEqual({ kind: "idle" });
  });
});
