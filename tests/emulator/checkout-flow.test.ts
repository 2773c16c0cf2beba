import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { eventually, sessionParams, harnessPerFile } from "./support";

const h = harnessPerFile();

describe("checkout session → card payment", () => {
  it("creates a session shaped like Stripe's, with the hosted page URL", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: "checkout.session",
      livemode: false,
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      payment_intent: null,
      currency: "eur",
      amount_total: 6000,
      amount_subtotal: 6000,
      client_reference_id: "pay_1",
      customer_email: "buyer@example.com",
      metadata: { paymentId: "pay_1", organizationId: "org_1" },
      url: `${h.emulator.url}/c/pay/${session.id}`,
    });
    expect(session.created).toBeGreaterThan(1_700_000_000);
  });

  it("pays with 4242 and emits signed charge, payment_intent and session events with snapshots", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const paid = await h.control<{ outcome: string; session: Stripe.Checkout.Session }>(`/_emulator/checkout/sessions/${session.id}/pay`, {
      card: "4242 4242 4242 4242",
    });
    expect(paid.status).toBe(200);
    expect(paid.body.outcome).toBe("paid");

    const retrieved = await h.stripe.checkout.sessions.retrieve(session.id, {
      expand: ["payment_intent", "line_items", "payment_intent.latest_charge"],
    });
    expect(retrieved.status).toBe("complete");
    expect(retrieved.payment_status).toBe("paid");
    expect(retrieved.customer_details?.email).toBe("buyer@example.com");
    const pi = retrieved.payment_intent as Stripe.PaymentIntent;
    expect(pi.id).toMatch(/^pi_/);
    expect(pi).toMatchObject({ object: "payment_intent", status: "succeeded", amount: 6000, amount_received: 6000, currency: "eur" });
    expect(pi.metadata).toEqual({ paymentId: "pay_1", organizationId: "org_1" });
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge.id).toMatch(/^ch_/);
    expect(charge).toMatchObject({ object: "charge", status: "succeeded", paid: true, amount: 6000, amount_refunded: 0, payment_intent: pi.id });
    expect(charge.payment_method_details?.card?.last4).toBe("4242");
    expect(retrieved.line_items?.data.map((li) => [li.description, li.quantity, li.amount_total])).toEqual([
      ["Jazz night — Standing", 2, 5000],
      ["Jazz night — Cloakroom", 1, 1000],
    ]);

    const lineItems = await h.stripe.checkout.sessions.listLineItems(session.id, { limit: 1 });
    expect(lineItems.data).toHaveLength(1);
    expect(lineItems.has_more).toBe(true);

    expect((await h.stripe.paymentIntents.retrieve(pi.id)).latest_charge).toBe(charge.id);
    expect((await h.stripe.charges.retrieve(charge.id)).amount).toBe(6000);

    const events = await eventually(() => {
      const mine = h.receiver.events.filter((e) => JSON.stringify(e.data.object).includes(pi.id));
      expect(mine.map((e) => e.type)).toEqual(["charge.succeeded", "payment_intent.succeeded", "checkout.session.completed"]);
      return mine;
    });
    const completed = events[2] as Stripe.CheckoutSessionCompletedEvent;
    expect(completed.data.object).toMatchObject({ id: session.id, payment_status: "paid", payment_intent: pi.id, client_reference_id: "pay_1" });
    expect(completed.id).toMatch(/^evt_/);
    expect(completed.api_version).toBe("2026-10-28.endive");
    expect(h.receiver.rejected).toEqual([]);
  });

  it("declines 0002 and 9995 with Stripe's messages, then lets the buyer pay on the same session", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const declined = await h.control<{ error: { type: string; code: string; decline_code: string; message: string } }>(
      `/_emulator/checkout/sessions/${session.id}/pay`,
      { card: "4000000000000002" },
    );
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." });
    const poor = await h.control<{ error: { decline_code: string; message: string } }>(`/_emulator/checkout/sessions/${session.id}/pay`, {
      card: "4000000000009995",
    });
    expect(poor.body.error).toMatchObject({ decline_code: "insufficient_funds", message: "Your card has insufficient funds." });

    const open = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(open.status).toBe("open");
    const pi = open.payment_intent as Stripe.PaymentIntent;
    expect(pi.status).toBe("requires_payment_method");
    expect(pi.last_payment_error).toMatchObject({ code: "card_declined", decline_code: "insufficient_funds" });

    await eventually(() => {
      const failures = h.receiver.ofType("payment_intent.payment_failed").filter((e) => e.data.object.id === pi.id);
      expect(failures.map((e) => e.data.object.last_payment_error?.decline_code)).toEqual(["generic_decline", "insufficient_funds"]);
    });

    const paid = await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    expect(paid.status).toBe(200);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", payment_intent: pi.id });
  });

  it("refuses to pay a completed or expired session", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    const again = await h.control<{ error: { code: string } }>(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("checkout_session_complete");

    const other = await h.stripe.checkout.sessions.create(sessionParams());
    const expired = await h.stripe.checkout.sessions.expire(other.id);
    expect(expired.status).toBe("expired");
    const late = await h.control<{ error: { code: string } }>(`/_emulator/checkout/sessions/${other.id}/pay`, { card: "4242424242424242" });
    expect(late.body.error.code).toBe("checkout_session_expired");
    await expect(h.stripe.checkout.sessions.expire(other.id)).rejects.toMatchObject({ type: "StripeInvalidRequestError", statusCode: 400 });
    await eventually(() => expect(h.receiver.ofType("checkout.session.expired").map((e) => e.data.object.id)).toContain(other.id));
  });
});
