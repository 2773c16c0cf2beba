import { describe, expect, it } from "vitest";
import { dueAt, dueBy } from "@/scripts/bench/lib/paced";

// The paced benchmark stamps each request with its due time and measures latency from it. It once
// sent request k only at (k+1)/rate s while stamping it k/rate s, adding a whole interval (50 ms at
// 20 requests/s) to every latency it reported.
describe("paced schedule", () => {
  it("sends the first request at once", () => {
    expect(dueBy(0, 20)).toBe(1);
    expect(dueAt(0, 20)).toBe(0);
  });

  it("sends each request as soon as it is due, never an interval late", () => {
    for (const rate of [20, 333, 1000]) {
      for (let k = 0; k < 500; k++) {
        // At its due time request k is among those due; just before, it is not.
        expect(dueBy(dueAt(k, rate), rate)).toBeGreaterThanOrEqual(k + 1);
        if (k > 0) expect(dueBy(dueAt(k, rate) - 0.01, rate)).toBeLessThanOrEqual(k);
      }
    }
  });

  it("paces at the asked rate", () => {
    expect(dueBy(999.99, 20)).toBe(20);
    expect(dueBy(10_000, 400)).toBe(4_001);
  });
});
