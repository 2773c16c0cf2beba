import { LeanPool, serializeRequest } from "./lean-http";
import type { LoadRequest, LoadResult } from "./load";

/**
 * Buyers arriving at a steady rate (an open model), at most `connections` requests in flight:
 * one request every 1/rate seconds, whether or not earlier ones were answered. Latency runs from
 * the moment a request was due — time spent waiting for a free connection counts — so a server
 * that falls behind shows it instead of hiding it (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: it releases each second's requests in a burst, so even a
 * trivial 1 ms handler at a third of its capacity measured p99 ≈ 370 ms (the burst draining),
 * which says nothing about the server.
 */
export async function runPaced(options: {
  label: string;
  baseUrl: string;
  connections: number;
  rate: number;
  duration: number;
  next: () => LoadRequest;
}): Promise<LoadResult> {
  const base = new URL(options.baseUrl);
  const pool = new LeanPool(Number(base.port), base.hostname, options.connections);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  const total = Math.round(options.rate * options.duration);
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();

  const send = (dueAt: number) => {
    const done = pool.send(serializeRequest(base.host, options.next())).then((status) => {
      if (status instanceof Error) {
        errors++;
        return;
      }
      latencies.push(performance.now() - dueAt);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  // Sleep until the next request is due, then send whatever has come due, each stamped with its own due time.
  await new Promise<void>((resolve) => {
    const wake = () => {
      const due = Math.min(total, dueBy(performance.now() - started, options.rate));
      while (sent < due) send(started + dueAt(sent++, options.rate));
      if (sent >= total) return resolve();
      setTimeout(wake, started + dueAt(sent, options.rate) - performance.now());
    };
    wake();
  });
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  pool.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN);
  return {
    label: options.label,
    connections: options.connections,
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: Math.round(latencies.at(-1) ?? NaN),
    statuses,
    errors,
    timeouts: 0,
  };
}

/** When request k (from 0) is due, in ms after the start: one every 1/rate seconds, the first at once. */
export function dueAt(k: number, rate: number): number {
  return (k * 1000) / rate;
}

/** How many requests are due `elapsedMs` after the start — those with dueAt(k) <= elapsedMs. */
export function dueBy(elapsedMs: number, rate: number): number {
  // The epsilon keeps a request due exactly now from being rounded to the next tick (k·1000/rate·rate/1000 < k in floats).
  return Math.floor((elapsedMs * rate) / 1000 + 1e-9) + 1;
}
