import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

/**
 * Where a run's CPU went, read from Linux's /proc: the app, the Stripe emulator, Postgres (every
 * server process: backends, WAL writer…), this load generator, and how busy the whole machine was.
 * On a 2-core machine that also hosts the database, the emulator and the load generator, a
 * latency target can be missed with the app itself not saturated — this says which it was.
 * Elsewhere (no /proc) it reports nothing.
 */
export interface CpuUse {
  /** Milliseconds of CPU per request, by process. */
  perRequestMs: { app: number; postgres: number; emulator: number; loadGenerator: number };
  /** Share of all cores busy during the run, 0–100. */
  machineBusyPercent: number;
  cores: number;
}

interface Reading {
  app: number;
  emulator: number;
  postgres: number;
  loadGenerator: number;
  machine: { busy: number; total: number };
}

const ticksPerSecond = 100; // USER_HZ: Linux reports process and machine CPU in hundredths of a second

/** Runs one load and measures the CPU each process spent on it, per request answered. */
export async function withCpu<T extends { requests: number }>(
  pids: { app: number; emulator: number },
  load: () => Promise<T>,
): Promise<T & { cpu: CpuUse | undefined }> {
  const before = read(pids);
  const result = await load();
  const after = read(pids);
  return { ...result, cpu: before && after ? perRequestUse(before, after, result.requests) : undefined };
}

function perRequestUse(before: Reading, after: Reading, requests: number): CpuUse | undefined {
  if (requests <= 0) return undefined;
  const perRequest = (key: "app" | "emulator" | "postgres" | "loadGenerator") => ((after[key] - before[key]) * 1000) / ticksPerSecond / requests;
  const total = after.machine.total - before.machine.total;
  return {
    perRequestMs: { app: perRequest("app"), postgres: perRequest("postgres"), emulator: perRequest("emulator"), loadGenerator: perRequest("loadGenerator") },
    machineBusyPercent: total > 0 ? (100 * (after.machine.busy - before.machine.busy)) / total : NaN,
    cores: availableParallelism(),
  };
}

export function formatCpu(use: CpuUse | undefined): string {
  if (!use) return "CPU use unavailable (no /proc)";
  const { app, postgres, emulator, loadGenerator } = use.perRequestMs;
  return (
    `CPU per request: app ${app.toFixed(2)} ms, Postgres ${postgres.toFixed(2)}, emulator ${emulator.toFixed(2)}, ` +
    `load generator ${loadGenerator.toFixed(2)}; machine ${use.machineBusyPercent.toFixed(0)}% busy (${use.cores} cores)`
  );
}

function read(pids: { app: number; emulator: number }): Reading | undefined {
  try {
    return {
      app: processTicks(pids.app),
      emulator: processTicks(pids.emulator),
      postgres: postgresTicks(),
      loadGenerator: processTicks(process.pid),
      machine: machineTicks(),
    };
  } catch {
    return undefined;
  }
}

function processTicks(pid: number): number {
  return statTicks(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** utime + stime of one process, all its threads: fields 14 and 15 of its /proc/<pid>/stat line. */
export function statTicks(stat: string): number {
  // The command name (field 2) may itself hold spaces and parentheses — Next.js names its server
  // "next-server (v16…)" — so fields are counted from after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`unexpected /proc stat line: ${stat.slice(0, 80)}`);
  return ticks;
}

function postgresTicks(): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") ticks += processTicks(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return ticks;
}

function machineTicks(): { busy: number; total: number } {
  const [cpu] = readFileSync("/proc/stat", "utf8").split("\n");
  const ticks = cpu!.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}
