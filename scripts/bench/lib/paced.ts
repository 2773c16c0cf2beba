import http from "node:http";
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
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  const total = Math.round(options.rate * options.duration);
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();

  const send = (dueAt: number) => {
    const r = options.next();
    const done = new Promise<void>((resolve) => {
      const request = http.request(
        { host: base.hostname, port: base.port, method: r.method, path: r.path, headers: { ...r.headers, ...(r.body && { "content-length": Buffer.byteLength(r.body) }) }, agent },
        (response) => {
          response.resume();
          response.on("end", () => {
            latencies.push(performance.now() - dueAt);
            statuses[response.statusCode ?? 0] = (statuses[response.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      request.on("error", () => {
        errors++;
        resolve();
      });
      request.end(r.body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  // Every millisecond, send whatever has come due since the last tick, each stamped with its own due time.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - started;
      const due = Math.min(total, dueBy(elapsed, options.rate));
      while (sent < due) send(started + dueAt(sent++, options.rate));
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
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
