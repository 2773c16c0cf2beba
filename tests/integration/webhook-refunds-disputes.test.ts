import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { refunds, stripeEvents } from "@/db/schema";
import { getPaymentDetails } from "@/lib/organizer/payment-details";
import { requestRefund } from "@/lib/refunds/request-refund";
import { getStripe } from "@/lib/stripe/client";
import { createPaidPayment as createOrganizerPayment, reloadTickets } from "../factories/organizer";
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

async function openDispute(paymentIntentId: string, options: { inquiry?: boolean } = {}) {
  const chargeId = await chargeOf(paymentIntentId);
  await emulatorControl(`charges/${chargeId}/dispute`, options);
  return findEmulatorEvent("charge.dispute.created", (d) => d.charge === chargeId);
}

async function closeDispute(created: Stripe.Event, status: string) {
  const disputeId = (created.data.object as { id: string }).id;
  await emulatorControl(`disputes/${disputeId}/close`, { status });
  return findEmulatorEvent("charge.dispute.closed", (d) => d.id === disputeId);
}

describe("inquiries", () => {
  it("can be refunded while open (no funds have moved): a ticket refund voids that ticket, the close gives back the others", async () => {
    const paid = await createOrganizerPayment({ quantity: 2, unitAmount: 2500 });
    const actor = { organizationId: paid.organization.id, userId: paid.owner!.id };
    const created = await openDispute(paid.payment.stripePaymentIntentId!, { inquiry: true });
    expect((await redeliver(created)).status).toBe(200);
    expect(await paymentState(paid.payment.id)).toMatchObject({ disputeStatus: "warning_needs_response", tickets: ["suspended", "suspended"] });
    expect((await getPaymentDetails(paid.organization.id, paid.payment.id)).remaining).toBe(5000);

    const [first, second] = paid.tickets;
    expect(await requestRefund(actor, paid.payment.id, { ticketIds: [first!.id] })).toMatchObject({ amount: 2500, status: "succeeded" });
    expect(await ticketStatusesOf(paid.payment.id, [first!.id, second!.id])).toEqual(["void", "suspended"]);

    expect((await redeliver(await closeDispute(created, "warning_closed"))).status).toBe(200);
    expect(await ticketStatusesOf(paid.payment.id, [first!.id, second!.id])).toEqual(["void", "valid"]);
    expect(await paymentState(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2500 });
  });

  it("suspends the tickets again when a chargeback follows an inquiry that closed, and refuses refunds during it", async () => {
    const paid = await createOrganizerPayment({ quantity: 2, unitAmount: 2500 });
    const actor = { organizationId: paid.organization.id, userId: paid.owner!.id };
    const inquiry = await openDispute(paid.payment.stripePaymentIntentId!, { inquiry: true });
    expect((await redeliver(inquiry)).status).toBe(200);
    expect((await redeliver(await closeDispute(inquiry, "warning_closed"))).status).toBe(200);
    expect((await paymentState(paid.payment.id)).tickets).toEqual(["valid", "valid"]);

    // The cardholder's bank escalates: a new dispute, a chargeback (the emulator opens one per charge, so it is signed here).
    const inquiryObject = inquiry.data.object as Stripe.Dispute;
    const chargeback = { ...inquiryObject, id: `${inquiryObject.id}_chargeback`, status: "needs_response" };
    expect((await sendEvent("charge.dispute.created", chargeback)).status).toBe(200);
    expect(await paymentState(paid.payment.id)).toMatchObject({ disputeStatus: "needs_response", tickets: ["suspended", "suspended"] });
    await expect(requestRefund(actor, paid.payment.id, {})).rejects.toMatchObject({ code: "payment_not_refundable" });
    // A late copy of the inquiry's own `created` changes nothing.
    expect((await redeliver({ ...inquiry, id: `${inquiry.id}_late` })).status).toBe(200);
    expect((await paymentState(paid.payment.id)).disputeStatus).toBe("needs_response");
  });
});

async function ticketStatusesOf(paymentId: string, ids: string[]) {
  const now = await reloadTickets(paymentId);
  return ids.map((id) => now.find((t) => t.id === id)!.status);
}

describe("failed refunds and replays", () => {
  type Paid = Awaited<ReturnType<typeof createOrganizerPayment>>;
  const actorOf = (paid: Paid) => ({ organizationId: paid.organization.id, userId: paid.owner!.id });
  const ticketStatuses = async (paid: Paid) => {
    const now = await reloadTickets(paid.payment.id);
    return paid.tickets.map((t) => now.find((n) => n.id === t.id)!.status);
  };

  /** Refunds one ticket through the app, then makes Stripe fail it (refund.updated + refund.failed). */
  async function refundThatFails(paid: Paid, ticketId: string) {
    const { refundId } = await requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [ticketId] });
    const [row] = await (await getDb()).select().from(refunds).where(eq(refunds.id, refundId));
    await emulatorControl(`refunds/${row!.stripeRefundId}/fail`);
    const matches = (r: Record<string, unknown>) => r.id === row!.stripeRefundId;
    return { updated: await findEmulatorEvent("refund.updated", matches), failed: await findEmulatorEvent("refund.failed", matches) };
  }

  it("gives a failed refund's ticket back once: a later charge.refunded cannot revive it after a second refund voided it", async () => {
    const paid = await createOrganizerPayment({ quantity: 2, unitAmount: 2500 });
    const [t1] = paid.tickets;
    const first = await refundThatFails(paid, t1!.id);
    expect((await redeliver(first.failed)).status).toBe(200);
    expect(await ticketStatuses(paid)).toEqual(["valid", "valid"]);

    await requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [t1!.id] });
    expect(await ticketStatuses(paid)).toEqual(["void", "valid"]);
    // Stripe's charge.refunded for the second refund lists both refunds of the charge, the failed one too.
    const charge = await getStripe().charges.retrieve(await chargeOf(paid.payment.stripePaymentIntentId!));
    expect((await sendEvent("charge.refunded", charge)).status).toBe(200);
    expect((await redeliver(first.updated)).status).toBe(200);

    expect(await ticketStatuses(paid)).toEqual(["void", "valid"]);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2500 });
  });

  it("never gives back a ticket that a lost dispute voided, however late the refund's failure arrives", async () => {
    const paid = await createOrganizerPayment({ quantity: 2, unitAmount: 2500 });
    const first = await refundThatFails(paid, paid.tickets[0]!.id);
    expect((await redeliver(first.failed)).status).toBe(200);
    const created = await openDispute(paid.payment.stripePaymentIntentId!);
    expect((await redeliver(created)).status).toBe(200);
    expect((await redeliver(await closeDispute(created, "lost"))).status).toBe(200);
    expect(await ticketStatuses(paid)).toEqual(["void", "void"]);

    expect((await redeliver(first.updated)).status).toBe(200);

    expect(await ticketStatuses(paid)).toEqual(["void", "void"]);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0, disputeStatus: "lost" });
  });

  it("gives a failed refund's ticket back suspended while the payment is disputed; winning the dispute makes it valid", async () => {
    const paid = await createOrganizerPayment({ quantity: 2, unitAmount: 2500 });
    const { refundId } = await requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [paid.tickets[0]!.id] });
    const created = await openDispute(paid.payment.stripePaymentIntentId!);
    expect((await redeliver(created)).status).toBe(200);
    expect(await ticketStatuses(paid)).toEqual(["void", "suspended"]);

    const [row] = await (await getDb()).select().from(refunds).where(eq(refunds.id, refundId));
    await emulatorControl(`refunds/${row!.stripeRefundId}/fail`);
    expect((await redeliver(await findEmulatorEvent("refund.failed", (r) => r.id === row!.stripeRefundId))).status).toBe(200);
    expect(await ticketStatuses(paid)).toEqual(["suspended", "suspended"]);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });

    expect((await redeliver(await closeDispute(created, "won"))).status).toBe(200);
    expect(await ticketStatuses(paid)).toEqual(["valid", "valid"]);
  });
});

describe("disputes", () => {

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

  it("gives the tickets back and allows refunds again when an inquiry closes without a chargeback (warning_closed)", async () => {
    const paid = await createOrganizerPayment({ quantity: 2, unitAmount: 2500 });
    const actor = { organizationId: paid.organization.id, userId: paid.owner!.id };
    const created = await openDispute(paid.payment.stripePaymentIntentId!, { inquiry: true });
    expect(created.data.object).toMatchObject({ status: "warning_needs_response" });
    expect((await redeliver(created)).status).toBe(200);
    expect(await paymentState(paid.payment.id)).toMatchObject({ disputed: true, tickets: ["suspended", "suspended"] });

    expect((await redeliver(await closeDispute(created, "warning_closed"))).status).toBe(200);
    expect(await paymentState(paid.payment.id)).toMatchObject({ disputed: true, disputeStatus: "warning_closed", tickets: ["valid", "valid"] });
    const late = { ...created, id: `${created.id}_late` };
    expect((await redeliver(late)).status).toBe(200);
    expect((await paymentState(paid.payment.id)).tickets).toEqual(["valid", "valid"]);

    // No chargeback happened: the payment is an ordinary paid payment again, refundable in full —
    // and the organizer's payment page offers the refund form again.
    expect((await getPaymentDetails(paid.organization.id, paid.payment.id)).remaining).toBe(5000);
    expect(await requestRefund(actor, paid.payment.id, {})).toMatchObject({ amount: 5000, status: "succeeded" });
    expect(await paymentState(paid.payment.id)).toMatchObject({ status: "refunded", amountRefunded: 5000, tickets: ["void", "void"] });
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
