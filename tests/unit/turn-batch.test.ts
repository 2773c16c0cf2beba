import { describe, expect, it } from "vitest";
import { perTurnBatches } from "@/db/turn-batch";

describe("perTurnBatches", () => {
  it("hands over what one turn asked for, per key, in batches of at most maxSize, and settles each item", async () => {
    const seen: string[][] = [];
    const double = perTurnBatches<object, number, number>((key, batch) => {
      seen.push(batch.map((w) => `${key === a ? "a" : "b"}${w.item}`));
      for (const w of batch) {
        if (w.item < 0) w.reject(new Error("negative"));
        else w.resolve(w.item * 2);
      }
    }, 3);
    const a = {};
    const b = {};
    const first = [1, 2, 3, 4, 5].map((n) => double(a, n));
    const other = double(b, 9);
    expect(await Promise.all([...first, other])).toEqual([2, 4, 6, 8, 10, 18]);
    expect(seen).toEqual([["a1", "a2", "a3"], ["a4", "a5"], ["b9"]]);
    // A later turn is a new batch; a rejected item fails alone.
    const later = await Promise.allSettled([double(a, 6), double(a, -1)]);
    expect(later.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(seen.at(-1)).toEqual(["a6", "a-1"]);
  });
});
