import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { inject } from "vitest";

/** The SDK pointed at the shared emulator, as the app's own client is. */
export function testStripe(): Stripe {
  const url = new URL(inject("stripeApiUrl"));
  return new Stripe("sk_test_vitest", { host: url.hostname, port: Number(url.port), protocol: "http", maxNetworkRetries: 0 });
}

/**
 * Runs `body` while the app's Stripe client talks to a server that answers every request with
 * `status` (or, with status 0, to a port where nothing listens). A real SDK over real HTTP: only the
 * far end misbehaves, the way Stripe does during an outage.
 */
export async function withBrokenStripe<T>(status: number, body: () => Promise<T>): Promise<T> {
  let server: Server | undefined;
  let port = 9;
  if (status > 0) {
    server = createServer((_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: status >= 500 ? "api_error" : "invalid_request_error", message: `broken on purpose (${status})` } }));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  }
  const cache = globalThis as unknown as { __boxofficeStripe?: Stripe };
  const original = cache.__boxofficeStripe;
  cache.__boxofficeStripe = new Stripe("sk_test_vitest", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 });
  try {
    return await body();
  } finally {
    cache.__boxofficeStripe = original;
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  }
}
