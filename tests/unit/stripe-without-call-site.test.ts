import { describe, expect, it } from "vitest";
import { withoutCallSite } from "@/lib/stripe/client";

describe("withoutCallSite", () => {
  it("starts the call with no stack trace limit and restores the limit at once, even when the call throws", async () => {
    const before = Error.stackTraceLimit;
    let during: number | undefined;
    const result = withoutCallSite(async () => {
      during = Error.stackTraceLimit;
      await Promise.resolve();
      return new Error("after the first await").stack;
    });
    expect(during).toBe(0);
    expect(Error.stackTraceLimit).toBe(before);
    // Work that resumes later gets full stack traces again.
    expect(await result).toContain("\n    at ");
    expect(() =>
      withoutCallSite(() => {
        throw new Error("synchronous failure");
      }),
    ).toThrow("synchronous failure");
    expect(Error.stackTraceLimit).toBe(before);
  });
});
