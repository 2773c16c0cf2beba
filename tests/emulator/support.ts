import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll } from "vitest";
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from "@/scripts/stripe-emulator/server";

export const webhookSecret = "whsec_emulator_tests_only";

/** A webhook endpoint that verifies every delivery with the SDK, as the app's route does. */
export class TestReceiver {
  readonly events: Stripe.Event[] = [];
  readonly rejected: { header: string; error: string }[] = [];
  /** Status to answer for the next N requests (then 200). */
  failNext: { count: number; status: number } = { count: 0, status: 500 };
  /** Milliseconds to wait before answering (to exercise the emulator's timeout). */
  delayMs = 0;
  requests = 0;
  private server: Server | undefined;
  url = "";
  private readonly stripe = new Stripe("sk_test_receiver");

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.requests++;
        const body = Buffer.concat(chunks).toString("utf8");
        const header = String(req.headers["stripe-signature"] ?? "");
        const answer = () => {
          if (this.failNext.count > 0) {
            this.failNext.count--;
            res.writeHead(this.failNext.status).end();
            return;
          }
          try {
            this.events.push(this.stripe.webhooks.constructEvent(body, header, webhookSecret));
            res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
          } catch (error) {
            this.rejected.push({ header, error: error instanceof Error ? error.message : String(error) });
            res.writeHead(400).end();
          }
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
    return this;
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  ofType<T extends Stripe.Event["type"]>(type: T): Extract<Stripe.Event, { type: T }>[] {
    return this.events.filter((e): e is Extract<Stripe.Event, { type: T }> => e.type === type);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export interface Harness {
  emulator: StripeEmulator;
  stripe: Stripe;
  receiver: TestReceiver;
  logs: string[];
  control<T = Record<string, unknown>>(path: string, body?: unknown, method?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<StripeEmulatorOptions> & { receivers?: number } = {}): Promise<Harness> {
  const receiver = await new TestReceiver().start();
  const logs: string[] = [];
  const emulator = await startStripeEmulator({
    port: 0,
    webhookSecret,
    webhookUrls: [receiver.url],
    retrySchedule: [1, 1, 1],
    log: (line) => logs.push(line),
    ...options,
  });
  const stripe = stripeFor(emulator.url);
  return {
    emulator,
    stripe,
    receiver,
    logs,
    async control(path, body, method = body === undefined ? "GET" : "POST") {
      const response = await fetch(`${emulator.url}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(method === "POST" ? { body: JSON.stringify(body ?? {}) } : {}),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    async close() {
      await emulator.close();
      await receiver.close();
    },
  };
}

/**
 * One emulator per test file: started before the file's tests, closed after them. The returned
 * object is filled in by beforeAll, so test bodies use it as they would the harness itself.
 */
export function harnessPerFile(options: Parameters<typeof startHarness>[0] = {}): Harness {
  const harness = {} as Harness;
  beforeAll(async () => {
    Object.assign(harness, await startHarness(options));
  });
  afterAll(async () => {
    await harness.close();
  });
  return harness;
}

export function stripeFor(url: string, key = "sk_test_emulator_tests"): Stripe {
  const api = new URL(url);
  return new Stripe(key, { host: api.hostname, port: Number(api.port), protocol: "http", maxNetworkRetries: 0 });
}

export function inMinutes(minutes: number): number {
  return Math.floor(Date.now() / 1000) + minutes * 60;
}

export function sessionParams(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    line_items: [
      { price_data: { currency: "eur", unit_amount: 2500, product_data: { name: "Jazz night — Standing" } }, quantity: 2 },
      { price_data: { currency: "eur", unit_amount: 1000, product_data: { name: "Jazz night — Cloakroom" } }, quantity: 1 },
    ],
    success_url: "http://app.test/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/cancel",
    expires_at: inMinutes(30),
    metadata: { paymentId: "pay_1", organizationId: "org_1" },
    client_reference_id: "pay_1",
    customer_email: "buyer@example.com",
    payment_intent_data: { metadata: { paymentId: "pay_1", organizationId: "org_1" } },
    ...overrides,
  };
}

/** Poll until `check` passes (deliveries are asynchronous). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
