import autocannon from "autocannon";

export interface LoadRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  label: string;
  connections: number;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

/**
 * Runs autocannon against the app. `next()` is asked for every request, so each can carry its own
 * buyer (cookie) and body; `onResponse` sees every answer (for counting what a flash sale sold).
 */
export async function runLoad(options: {
  label: string;
  baseUrl: string;
  connections: number;
  duration?: number;
  amount?: number;
  next: () => LoadRequest;
  onResponse?: (status: number, body: string) => void;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    timeout: 30,
    requests: [
      {
        // Keep autocannon's own fields (host, port…): without them it sends "Host: undefined".
        setupRequest: (request) => {
          const r = options.next();
          return {
            ...request,
            method: r.method,
            path: r.path,
            headers: { ...request.headers, ...r.headers },
            ...(r.body !== undefined && { body: r.body }),
          };
        },
        onResponse: (status, body) => options.onResponse?.(status, body),
      },
    ],
  });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    label: options.label,
    connections: options.connections,
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

export function formatResult(r: LoadResult): string {
  const statuses = Object.entries(r.statuses)
    .map(([code, n]) => `${code}×${n}`)
    .join(" ");
  return `${r.label.padEnd(28)} c=${String(r.connections).padStart(3)}  ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(5)} ms  p99 ${String(r.p99).padStart(5)} ms  max ${String(r.max).padStart(5)} ms  [${statuses}]${r.errors ? `  errors ${r.errors}` : ""}${r.timeouts ? `  timeouts ${r.timeouts}` : ""}`;
}

/** The health route (one `select 1`): the same app, the same database, the ceiling to compare to. */
export function healthBaseline(baseUrl: string, connections: number, duration = 10) {
  return runLoad({ label: "baseline GET /api/health", baseUrl, connections, duration, next: () => ({ method: "GET", path: "/api/health" }) });
}
