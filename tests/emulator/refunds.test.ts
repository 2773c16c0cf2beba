import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { eventually, sessionParams, harnessPerFile } from "./support";

const h = harnessPerFile();

async function paidPaymentIntent(card = "4242424242424242"): Promise<string> {
  const session = await h.stripe.checkout.sessions.create(sessionParams());
  await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card });
  return (await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
}

describe("refunds", () => {
  it("refunds in parts up to the total, then refuses more than remains with Stripe's error", async () => {
    const pi = await paidPaymentIntent();
    const first = await h.stripe.refunds.create({ payment_intent: pi, amount: 1000, reason: "requested_by_customer", metadata: { refundId: "r1" } });
    expect(first.id).toMatch(/^re_/);
    expect(first).toMatchObject({ object: "refund", amount: 1000, status: "succeeded", payment_intent: pi, currency: "eur", metadata: { refundId: "r1" } });

    const tooMuch = h.stripe.refunds.create({ payment_intent: pi, amount: 5001 });
    await expect(tooMuch).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(tooMuch).rejects.toMatchObject({ statusCode: 400, code: "amount_too_large", param: "amount" });

    const rest = await h.stripe.refunds.create({ charge: first.charge as string });
    expect(rest.amount).toBe(5000);
    const charge = await h.stripe.charges.retrieve(first.charge as string);
    expect(charge).toMatchObject({ amount_refunded: 6000, refunded: true });
    await expect(h.stripe.refunds.create({ payment_intent: pi })).rejects.toMatchObject({ code: "charge_already_refunded" });

    expect((await h.stripe.refunds.retrieve(first.id)).amount).toBe(1000);
    const listed = await h.stripe.refunds.list({ payment_intent: pi });
    expect(listed.data.map((r) => r.id)).toEqual([rest.id, first.id]);

    await eventually(() => {
      const refunded = h.receiver.ofType("charge.refunded").filter((e) => e.data.object.payment_intent === pi);
      expect(refunded.map((e) => e.data.object.amount_refunded)).toEqual([1000, 6000]);
      expect(h.receiver.ofType("refund.created").filter((e) => e.data.object.payment_intent === pi)).toHaveLength(2);
    });
  });

  it("rejects refunds of unknown or unpaid payments, and unknown parameters", async () => {
    await expect(h.stripe.refunds.create({ payment_intent: "pi_missing" })).rejects.toMatchObject({ statusCode: 404, code: "resource_missing", param: "payment_intent" });
    await expect(h.stripe.refunds.retrieve("re_missing")).rejects.toMatchObject({ statusCode: 404, code: "resource_missing" });
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4000000000000002" });
    const pi = (await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    await expect(h.stripe.refunds.create({ payment_intent: pi })).rejects.toMatchObject({ statusCode: 400, code: "charge_not_refundable" });
    await expect(h.stripe.refunds.create({ payment_intent: pi, bogus: 1 } as Stripe.RefundCreateParams)).rejects.toMatchObject({
      code: "parameter_unknown",
      param: "bogus",
    });
    await expect(h.stripe.refunds.create({} as Stripe.RefundCreateParams)).rejects.toMatchObject({ statusCode: 400 });
  });

  it("fails a refund later on request, giving the money back to the charge", async () => {
    const pi = await paidPaymentIntent();
    const refund = await h.stripe.refunds.create({ payment_intent: pi, amount: 2000 });
    const failed = await h.control<Stripe.Refund>(`/_emulator/refunds/${refund.id}/fail`, {});
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: "failed", failure_reason: "expired_or_canceled_card" });
    expect((await h.stripe.charges.retrieve(refund.charge as string)).amount_refunded).toBe(0);
    expect((await h.control(`/_emulator/refunds/${refund.id}/fail`, {})).status).toBe(400);
    await eventually(() => {
      expect(h.receiver.ofType("refund.failed").map((e) => e.data.object.id)).toContain(refund.id);
      expect(h.receiver.ofType("refund.updated").find((e) => e.data.object.id === refund.id)?.data.object.status).toBe("failed");
    });
  });

  it("fails refunds of the 5126 test card by itself once the clock moves on", async () => {
    const pi = await paidPaymentIntent("4000000000005126");
    const refund = await h.stripe.refunds.create({ payment_intent: pi });
    expect(refund.status).toBe("succeeded");
    await h.control("/_emulator/clock/advance", { seconds: 300 });
    expect((await h.stripe.refunds.retrieve(refund.id)).status).toBe("failed");
  });

  it("refunds from the dashboard, which the app learns of only by webhook", async () => {
    const pi = await paidPaymentIntent();
    const refund = await h.control<Stripe.Refund>(`/_emulator/payment_intents/${pi}/refund`, { amount: 1500 });
    expect(refund.body).toMatchObject({ amount: 1500, status: "succeeded", payment_intent: pi });
    await eventually(() => {
      const created = h.receiver.ofType("refund.created").find((e) => e.data.object.id === refund.body.id);
      expect(created?.request).toEqual({ id: null, idempotency_key: null });
    });
  });
});
