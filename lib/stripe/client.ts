import "server-only";
import Stripe from "stripe";
import { getEnv } from "@/lib/env";

const cache = globalThis as unknown as { __boxofficeStripe?: Stripe };

/**
 * The one Stripe client. Identical code for real Stripe and for the emulator: only STRIPE_API_URL
 * and the keys differ. stripe-node retries network errors itself (with the same idempotency key).
 */
export function getStripe(): Stripe {
  if (cache.__boxofficeStripe) return cache.__boxofficeStripe;
  const { stripe } = getEnv();
  const api = stripe.apiUrl ? new URL(stripe.apiUrl) : undefined;
  cache.__boxofficeStripe = new Stripe(stripe.secretKey, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    appInfo: { name: "boxoffice" },
    // Telemetry piggybacks metrics of earlier requests on each call; under concurrency its buffer
    // fills and stripe-node emits a process warning per request — measurable waste on hot paths.
    telemetry: false,
    ...(api && {
      host: api.hostname,
      port: Number(api.port || (api.protocol === "https:" ? 443 : 80)),
      protocol: api.protocol === "https:" ? "https" : "http",
    }),
  });
  return cache.__boxofficeStripe;
}

/**
 * Starts a Stripe call without the caller's stack trace. stripe-node records `new Error().stack`
 * on every request so a failure can name its call site; under Next.js that stack is formatted by
 * Next's source-map hook at once, which cost ~2% of a purchase's CPU. Our failures are reported
 * with Stripe's own type, status and message instead (see describeStripeError). The SDK takes
 * the trace synchronously, before its first await, so the limit is back before anything else runs.
 */
export function withoutCallSite<T>(call: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return call();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
