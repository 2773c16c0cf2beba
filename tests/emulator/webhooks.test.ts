import type Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import type { Delivery } from "@/scripts/stripe-emulator/webhooks/delivery";
import { eventually, sessionParams, startHarness, harnessPerFile, TestReceiver } from "./support";

const h = harnessPerFile({ retrySchedule: [1, 1] });
afterEach(async () => {
  await h.control("/_emulator/webhooks/chaos", {});
  h.receiver.failNext = { count: 0, status: 500 };
});

async function paidSession(): Promise<Stripe.Checkout.Session> {
  const session = await h.stripe.checkout.sessions.create(sessionParams());
  await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
  return session;
}

async function deliveriesOf(eventType: string, sessionId: string): Promise<Delivery[]> {
  const events = await h.stripe.events.list({ type: eventType, limit: 100 });
  const event = events.data.find((e) => (e.data.object as { id?: string }).id === sessionId);
  if (!event) throw new Error(`no ${eventType} for ${sessionId}`);
  return (await h.control<{ data: Delivery[] }>(`/_emulator/deliveries?event=${event.id}&wait=true`)).body.data;
}

describe("webhook delivery", () => {
  it("signs each event so that constructEvent accepts it, and records the delivery", async () => {
    const session = await paidSession();
    await eventually(() => expect(h.receiver.ofType("checkout.session.completed").map((e) => e.data.object.id)).toContain(session.id));
    const [delivery] = await deliveriesOf("checkout.session.completed", session.id);
    expect(delivery).toMatchObject({ type: "checkout.session.completed", url: h.receiver.url, attempts: 1, statusCodes: [200], status: "succeeded" });
  });

  it("retries a failing endpoint on the compressed schedule until it answers 2xx", async () => {
    h.receiver.failNext = { count: 2, status: 503 };
    const session = await paidSession();
    await eventually(async () => {
      const deliveries = await deliveriesOf("checkout.session.completed", session.id);
      expect(deliveries[0]?.status).toBe("succeeded");
    }, 15_000);
    const attempts = (await h.control<{ data: Delivery[] }>("/_emulator/deliveries")).body.data.filter((d) => d.statusCodes.includes(503));
    expect(attempts.length).toBeGreaterThan(0);
    expect(h.logs.some((l) => l.includes("503, retry in 1s"))).toBe(true);
  });

  it("gives up after the bounded number of tries", async () => {
    h.receiver.failNext = { count: 1000, status: 500 };
    const session = await paidSession();
    await eventually(async () => {
      const [delivery] = await deliveriesOf("checkout.session.completed", session.id);
      expect(delivery).toMatchObject({ status: "failed", attempts: 3, statusCodes: [500, 500, 500] });
    }, 15_000);
  });

  it("spreads deliveries round-robin across several URLs", async () => {
    const a = await new TestReceiver().start();
    const b = await new TestReceiver().start();
    const two = await startHarness({ webhookUrls: [a.url, b.url] });
    try {
      const session = await two.stripe.checkout.sessions.create(sessionParams());
      await two.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
      await two.emulator.idle();
      expect(a.events.length + b.events.length).toBe(3);
      expect(a.events.length).toBeGreaterThan(0);
      expect(b.events.length).toBeGreaterThan(0);
    } finally {
      await two.close();
      await a.close();
      await b.close();
    }
  });

  it("times out a slow endpoint and retries it", async () => {
    const slow = await startHarness({ deliveryTimeoutMs: 200, retrySchedule: [1] });
    try {
      slow.receiver.delayMs = 500;
      const session = await slow.stripe.checkout.sessions.create(sessionParams());
      await slow.stripe.checkout.sessions.expire(session.id);
      await eventually(async () => {
        const { data } = (await slow.control<{ data: Delivery[] }>("/_emulator/deliveries")).body;
        expect(data[0]).toMatchObject({ status: "failed", attempts: 2, statusCodes: [null, null] });
        expect(data[0]?.log[0]?.error).toMatch(/timed out/);
      });
    } finally {
      await slow.close();
    }
  });
});
