import { describe, expect, it } from "vitest";
import { statTicks, withCpu } from "@/scripts/bench/lib/cpu";

// bench:purchase reports where each run's CPU went, read from /proc/<pid>/stat. Next.js renames
// its server process "next-server (v16…)": a parser that split the line at the first ")" would
// read the wrong fields for exactly the process that matters.
describe("bench CPU meter", () => {
  const fieldsAfterName = "S 1 2 3 4 5 6 7 8 9 10 1200 345 0 0 20 0 13 0 100";

  it("reads utime + stime after the command name", () => {
    expect(statTicks(`4242 (node) ${fieldsAfterName}`)).toBe(1545);
  });

  it("reads them after a command name holding spaces and parentheses", () => {
    expect(statTicks(`4242 (next-server (v1) ${fieldsAfterName}`)).toBe(1545);
    expect(statTicks(`4242 (a) b (c) ${fieldsAfterName}`)).toBe(1545);
  });

  it("refuses a line it cannot read instead of reporting NaN", () => {
    expect(() => statTicks("4242 (node) S 1 2")).toThrow(/unexpected/);
  });

  it.runIf(process.platform === "linux")("charges CPU spent during the run to the process that spent it", async () => {
    const result = await withCpu({ app: process.pid, emulator: process.pid }, async () => {
      // 150 ms of this process's own CPU, however long a shared machine takes to give it.
      const start = process.cpuUsage();
      while (cpuMs(process.cpuUsage(start)) < 150);
      return { requests: 10 };
    });
    expect(result.requests).toBe(10);
    // At least 100 ms of CPU over 10 requests (/proc counts in 10 ms ticks).
    expect(result.cpu!.perRequestMs.app).toBeGreaterThanOrEqual(10);
    expect(result.cpu!.perRequestMs.loadGenerator).toBeGreaterThanOrEqual(10); // the same process, read once more
    expect(result.cpu!.machineBusyPercent).toBeGreaterThan(0);
  });
});

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
