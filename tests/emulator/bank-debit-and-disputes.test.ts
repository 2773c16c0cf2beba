import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { eventually, sessionParams, harnessPerFile } from "./support";

const h = harnessPerFile();

const sessionEvents = (sessionId: string) => h.receiver.events.filter((e) => e.type.startsWith("checkout.session.") && (e.data.object as { id: string }).id === sessionId);

describe("bank debit", () => {
  it("completes unpaid, then settles when the emulator clock passes the delay", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const pay = await h.control<{ outcome: string }>(`/_emulator/checkout/sessions/${session.id}/pay`, { iban: "DE89 3704 0044 0532 0130 00" });
    expect(pay.body.outcome).toBe("processing");
    const processing = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(processing).toMatchObject({ status: "complete", payment_status: "unpaid" });
    expect((processing.payment_intent as Stripe.PaymentIntent).status).toBe("processing");

    await h.control("/_emulator/clock/advance", { seconds: 121 });
    const settled = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
    expect(settled.payment_status).toBe("paid");
    const pi = settled.payment_intent as Stripe.PaymentIntent;
    expect(pi.status).toBe("succeeded");
    expect((pi.latest_charge as Stripe.Charge).payment_method_details?.sepa_debit?.last4).toBe("3000");
    await eventually(() =>
      expect(sessionEvents(session.id).map((e) => [e.type, (e.data.object as Stripe.Checkout.Session).payment_status])).toEqual([
        ["checkout.session.completed", "unpaid"],
        ["checkout.session.async_payment_succeeded", "paid"],
      ]),
    );

    // Bank debit refunds are pending until they settle too.
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 1000 });
    expect(refund.status).toBe("pending");
    await h.control("/_emulator/clock/advance", { seconds: 121 });
    expect((await h.stripe.refunds.retrieve(refund.id)).status).toBe("succeeded");
    await eventually(() => expect(h.receiver.ofType("refund.updated").map((e) => e.data.object.id)).toContain(refund.id));
  });

  it("fails later with the failing test IBAN", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { iban: "DE62370400440532013001" });
    await h.control("/_emulator/clock/advance", { seconds: 121 });
    const failed = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(failed).toMatchObject({ status: "complete", payment_status: "unpaid" });
    expect((failed.payment_intent as Stripe.PaymentIntent).status).toBe("requires_payment_method");
    await eventually(() =>
      expect(sessionEvents(session.id).map((e) => e.type)).toEqual(["checkout.session.completed", "checkout.session.async_payment_failed"]),
    );
  });

  it("rejects an invalid IBAN and leaves the session open", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const bad = await h.control<{ error: { code: string } }>(`/_emulator/checkout/sessions/${session.id}/pay`, { iban: "DE00123" });
    expect(bad.body.error.code).toBe("invalid_bank_account_iban");
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });
});

describe("disputes", () => {
  it("opens a dispute on a charge and closes it won or lost, emitting events", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    const pi = await h.stripe.paymentIntents.retrieve((await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string);
    const chargeId = pi.latest_charge as string;

    const opened = await h.control<Stripe.Dispute>(`/_emulator/charges/${chargeId}/dispute`, {});
    expect(opened.status).toBe(200);
    expect(opened.body.id).toMatch(/^dp_/);
    expect(opened.body).toMatchObject({ object: "dispute", status: "needs_response", charge: chargeId, payment_intent: pi.id, amount: 6000 });
    expect((await h.stripe.charges.retrieve(chargeId)).disputed).toBe(true);
    await expect(h.stripe.refunds.create({ payment_intent: pi.id })).rejects.toMatchObject({ code: "charge_disputed" });
    expect((await h.control(`/_emulator/charges/${chargeId}/dispute`, {})).status).toBe(400);

    expect((await h.control(`/_emulator/disputes/${opened.body.id}/close`, { status: "maybe" })).status).toBe(400);
    const closed = await h.control<Stripe.Dispute>(`/_emulator/disputes/${opened.body.id}/close`, { status: "lost" });
    expect(closed.body.status).toBe("lost");
    expect((await h.stripe.disputes.retrieve(opened.body.id)).status).toBe("lost");
    expect((await h.control(`/_emulator/disputes/${opened.body.id}/close`, { status: "won" })).status).toBe(400);
    await eventually(() => {
      expect(h.receiver.ofType("charge.dispute.created").map((e) => e.data.object.id)).toContain(opened.body.id);
      expect(h.receiver.ofType("charge.dispute.closed").find((e) => e.data.object.id === opened.body.id)?.data.object.status).toBe("lost");
    });
  });
});

describe("inquiries (warning disputes)", () => {
  it("opens an inquiry, refundable while open, and closes it warning_closed", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    const pi = await h.stripe.paymentIntents.retrieve((await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string);
    const chargeId = pi.latest_charge as string;

    const opened = await h.control<Stripe.Dispute>(`/_emulator/charges/${chargeId}/dispute`, { inquiry: true });
    expect(opened.body).toMatchObject({ object: "dispute", status: "warning_needs_response", charge: chargeId });
    // During an inquiry no funds have moved: the charge can still be refunded (Stripe's advice to avoid a chargeback).
    expect(await h.stripe.refunds.create({ payment_intent: pi.id, amount: 1000 })).toMatchObject({ status: "succeeded", amount: 1000 });
    // An inquiry ends without a chargeback (warning_closed); won and lost are for chargebacks.
    expect((await h.control(`/_emulator/disputes/${opened.body.id}/close`, { status: "won" })).status).toBe(400);

    const closed = await h.control<Stripe.Dispute>(`/_emulator/disputes/${opened.body.id}/close`, { status: "warning_closed" });
    expect(closed.body.status).toBe("warning_closed");
    expect((await h.control(`/_emulator/disputes/${opened.body.id}/close`, { status: "warning_closed" })).status).toBe(400);
    expect(await h.stripe.refunds.create({ payment_intent: pi.id })).toMatchObject({ status: "succeeded", amount: 5000 });
    await eventually(() =>
      expect(h.receiver.ofType("charge.dispute.closed").find((e) => e.data.object.id === opened.body.id)?.data.object.status).toBe("warning_closed"),
    );
  });

  it("refuses warning_closed for a chargeback", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    const pi = await h.stripe.paymentIntents.retrieve((await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string);
    const opened = await h.control<Stripe.Dispute>(`/_emulator/charges/${pi.latest_charge as string}/dispute`, {});
    expect((await h.control(`/_emulator/disputes/${opened.body.id}/close`, { status: "warning_closed" })).status).toBe(400);
  });
});
