import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { describe, expect, inject, it } from "vitest";
import { getDb } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import { deliverWebhook, signEvent } from "../factories/payments";

// Every way a webhook can be untrustworthy answers 400 and writes nothing (DESIGN.md invariant 5).
async function eventRows(id: string) {
  return (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, id));
}

const someSession = { id: "cs_test_not_ours", object: "checkout.session", payment_status: "paid" };

describe("webhook signature verification", () => {
  it("accepts a correctly signed event of a type we do not act on: 200, recorded, no effect", async () => {
    const { payload, header, event } = signEvent("customer.created", { id: "cus_123", object: "customer" });
    const response = await deliverWebhook(payload, header);
    expect(response).toEqual({ status: 200, body: { received: true } });
    const [row] = await eventRows(event.id);
    expect(row).toMatchObject({ id: event.id, type: "customer.created", paymentId: null });
    expect(row!.payload).toEqual(event);
    // A redelivery is a no-op that still answers 200.
    expect((await deliverWebhook(payload, header)).status).toBe(200);
    expect(await eventRows(event.id)).toHaveLength(1);
  });

  it.each([
    ["a missing Stripe-Signature header", () => ({ ...signEvent("checkout.session.completed", someSession), header: null })],
    [
      "a signature made with another secret",
      () => signEvent("checkout.session.completed", someSession, { secret: "whsec_someone_else_entirely" }),
    ],
    [
      "a timestamp outside the 300 s tolerance",
      () => signEvent("checkout.session.completed", someSession, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ],
    [
      "a tampered body",
      () => {
        const signed = signEvent("checkout.session.completed", someSession);
        return { ...signed, payload: signed.payload.replace('"paid"', '"paid" ') };
      },
    ],
    [
      "a re-serialised body (same JSON, different bytes)",
      () => {
        const signed = signEvent("checkout.session.completed", someSession);
        return { ...signed, payload: JSON.stringify(JSON.parse(signed.payload), null, 2) };
      },
    ],
    ["a garbage header", () => ({ ...signEvent("checkout.session.completed", someSession), header: "t=abc,v1=nothex" })],
  ])("refuses %s with 400 invalid_signature and records nothing", async (_name, make) => {
    const { payload, header, event } = make();
    const response = await deliverWebhook(payload, header);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: "invalid_signature" } });
    expect(await eventRows(event.id)).toHaveLength(0);
  });

  it("refuses a correctly signed body that is not JSON", async () => {
    const payload = "this is not json";
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: inject("stripeWebhookSecret") });
    const response = await deliverWebhook(payload, header);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("refuses a correctly signed JSON body that is not a Stripe event", async () => {
    const payload = JSON.stringify({ hello: "world" });
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: inject("stripeWebhookSecret") });
    expect((await deliverWebhook(payload, header)).status).toBe(400);
  });

  it("refuses a body over 1 MB even when it is correctly signed", async () => {
    const { event } = signEvent("customer.created", { id: "cus_big", object: "customer", padding: "x".repeat(1024 * 1024) });
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: inject("stripeWebhookSecret") });
    const response = await deliverWebhook(payload, header);
    expect(response.status).toBe(400);
    expect(await eventRows(event.id)).toHaveLength(0);
  });
});
