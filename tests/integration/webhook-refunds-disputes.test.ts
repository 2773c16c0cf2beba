import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import { getStripe } from "@/lib/stripe/client";
import {
  createPaidPayment,
  createPendingPayment,
  deliverWebhook,
  emulatorControl,
  findEmulatorEvent,
  payOnEmulator,
  paymentState,
  redeliver,
  reloadPayment,
  retrieveSession,
  sendEvent,
  signEvent,
} from "../factories/payments";

async function chargeOf(paymentIntentId: string) {
  const intent = await getStripe().paymentIntents.retrieve(paymentIntentId);
  return intent.latest_charge as string;
}

describe("refunds made outside the app", () => {
  it("reflects a refund made directly on Stripe (as from its dashboard), then the rest via charge.refunded", async () => {
    const { payment } = await createPaidPayment({ quantity: 2 });
    const intent = payment.stripePaymentIntentId!;
    const half = payment.amountTotal / 2;
    const refund = await getStripe().refunds.create({ payment_intent: intent, amount: half });
    expect((await sendEvent("refund.created", refund)).status).toBe(200);
    expect(await paymentState(payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: half, tickets: ["valid", "valid"] });

    await getStripe().refunds.create({ payment_intent: intent });
    const charge = await getStripe().charges.retrieve(await chargeOf(intent));
    expect((await sendEvent("charge.refunded", charge)).status).toBe(200);
    const state = await paymentState(payment.id);
    expect(state).toMatchObject({ status: "refunded", amountRefunded: payment.amountTotal });
    expect(state.refunds).toHaveLength(2);
    expect(state.receipts).toHaveLength(1);
  });
});

describe("redelivered refund events", () => {
  // The payment-completion test covers the fulfilment path; this one covers applyEventOnce, which
  // every other handler shares: the event row and the effect commit together, exactly once, and
  // concurrent deliveries wait on the payment lock instead of deadlocking into a 500.
  it("applies one refund.created delivered 5 times concurrently once, recorded against the payment", async () => {
    const { payment } = await createPaidPayment({ quantity: 2 });
    const half = payment.amountTotal / 2;
    const refund = await getStripe().refunds.create({ payment_intent: payment.stripePaymentIntentId!, amount: half });
    const { payload, header, event } = signEvent("refund.created", refund);
    const responses = await Promise.all(Array.from({ length: 5 }, () => deliverWebhook(payload, header)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const state = await paymentState(payment.id);
    expect(state).toMatchObject({ status: "partially_refunded", amountRefunded: half });
    expect(state.refunds).toHaveLength(1);
    const recorded = await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(recorded.map((r) => r.paymentId)).toEqual([payment.id]);
  });
});

describe("disputes", () => {
  async function openDispute(paymentIntentId: string) {
    const chargeId = await chargeOf(paymentIntentId);
    await emulatorControl(`charges/${chargeId}/dispute`);
    return findEmulatorEvent("charge.dispute.created", (d) => d.charge === chargeId);
  }

  it.each([
    ["won", ["valid", "valid"]],
    ["lost", ["void", "void"]],
  ] as const)("suspends the tickets while disputed and ends %s", async (outcome, finalTickets) => {
    const { payment } = await createPaidPayment({ quantity: 2 });
    const created = await openDispute(payment.stripePaymentIntentId!);
    expect((await redeliver(created)).status).toBe(200);
    expect(await paymentState(payment.id)).toMatchObject({ disputed: true, tickets: ["suspended", "suspended"] });

    const disputeId = (created.data.object as { id: string }).id;
    await emulatorControl(`disputes/${disputeId}/close`, { status: outcome });
    const closed = await findEmulatorEvent("charge.dispute.closed", (d) => d.id === disputeId);
    expect((await redeliver(closed)).status).toBe(200);
    expect(await paymentState(payment.id)).toMatchObject({ disputed: true, disputeStatus: outcome, tickets: finalTickets });

    // A late redelivery of `created` cannot undo the outcome.
    const late = { ...created, id: `${created.id}_late` };
    expect((await redeliver(late)).status).toBe(200);
    expect((await paymentState(payment.id)).tickets).toEqual(finalTickets);
  });
});

describe("delayed payment methods (bank debit)", () => {
  it("shows processing after completion, then fulfils on async_payment_succeeded or fails on async_payment_failed", async () => {
    const good = await createPendingPayment({ quantity: 2 });
    const bad = await createPendingPayment({ quantity: 1 });
    await payOnEmulator(good.session.id, { iban: "DE89370400440532013000" });
    await payOnEmulator(bad.session.id, { iban: "DE62370400440532013001" });
    for (const { session } of [good, bad]) await sendEvent("checkout.session.completed", await retrieveSession(session.id));
    expect(await paymentState(good.payment.id)).toMatchObject({ status: "pending", processing: true, tickets: [] });
    const { getCheckoutOutcome } = await import("@/lib/fulfilment/checkout-outcome");
    expect(await getCheckoutOutcome(good.session.id, good.buyer.id)).toMatchObject({ state: "processing" });

    // One move of the shared emulator clock, just past its settlement delay (other files share it).
    await emulatorControl("clock/advance", { seconds: 121 });
    const settled = await findEmulatorEvent("checkout.session.async_payment_succeeded", (s) => s.id === good.session.id);
    expect((await redeliver(settled)).status).toBe(200);
    const state = await paymentState(good.payment.id);
    expect(state).toMatchObject({ status: "succeeded", tickets: ["valid", "valid"] });
    expect(state.receipts).toHaveLength(1);

    const failed = await findEmulatorEvent("checkout.session.async_payment_failed", (s) => s.id === bad.session.id);
    expect((await redeliver(failed)).status).toBe(200);
    expect(await paymentState(bad.payment.id)).toMatchObject({ status: "failed", tickets: [], receipts: [] });
    // A late `completed` (unpaid) after the failure changes nothing.
    await sendEvent("checkout.session.completed", await retrieveSession(bad.session.id));
    expect((await reloadPayment(bad.payment.id)).status).toBe("failed");
  });
});
