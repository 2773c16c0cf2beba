import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { availableExpression } from "@/db/queries/availability";
import { insertRefund, voidTickets } from "@/db/queries/refunds";
import { eventPayments, refunds, ticketTypes } from "@/db/schema";
import { applyStripeRefund, refundIdMetadataKey } from "@/lib/refunds/sync-from-stripe";
import { createSellingEvent } from "../factories";
import { createPaidPayment, reloadPayment, reloadTickets } from "../factories/organizer";

// What Stripe says about a refund, as a webhook or an API answer carries it.
function stripeRefund(paymentIntent: string, fields: Partial<Stripe.Refund> & { amount: number }): Stripe.Refund {
  return {
    id: `re_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    object: "refund",
    currency: "eur",
    status: "succeeded",
    created: Math.floor(Date.now() / 1000),
    metadata: {},
    payment_intent: paymentIntent,
    charge: null,
    reason: null,
    balance_transaction: null,
    receipt_number: null,
    source_transfer_reversal: null,
    transfer_reversal: null,
    ...fields,
  } as Stripe.Refund;
}

async function apply(paymentId: string, refund: Stripe.Refund) {
  const db = await getDb();
  return db.transaction((tx) => applyStripeRefund(tx, paymentId, refund));
}

async function refundRows(paymentId: string) {
  return (await getDb()).select().from(refunds).where(eq(refunds.paymentId, paymentId));
}

/** Our own pending row for one ticket, as requestRefund leaves it before Stripe answers. */
async function pendingTicketRefund(paymentId: string, organizationId: string, ticketId: string, amount: number) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const row = await insertRefund(tx, { paymentId, organizationId, sequence: 1, amount, currency: "eur", status: "pending", ticketIds: [ticketId] });
    await voidTickets(tx, paymentId, [ticketId]);
    return row;
  });
}

describe("applying Stripe's word on a refund", () => {
  it("finds our pending row through the metadata, records Stripe's id and confirms it", async () => {
    const { payment, organization, tickets } = await createPaidPayment({ viaStripe: false, quantity: 2, unitAmount: 2500 });
    const row = await pendingTicketRefund(payment.id, organization.id, tickets[0]!.id, 2500);
    const refund = stripeRefund(payment.stripePaymentIntentId!, { amount: 2500, metadata: { [refundIdMetadataKey]: row.id } });

    const applied = await apply(payment.id, refund);

    expect(applied).toMatchObject({ id: row.id, stripeRefundId: refund.id, status: "succeeded", external: false });
    expect(await refundRows(payment.id)).toHaveLength(1);
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2500 });
    const after = await reloadTickets(payment.id);
    expect(after.find((t) => t.id === tickets[0]!.id)).toMatchObject({ status: "void", placeReleased: true });
    expect(after.find((t) => t.id === tickets[1]!.id)).toMatchObject({ status: "valid" });
  });

  it("ignores an older snapshot that arrives after a newer one", async () => {
    const { payment } = await createPaidPayment({ viaStripe: false, quantity: 1, unitAmount: 4000 });
    const succeeded = stripeRefund(payment.stripePaymentIntentId!, { amount: 4000, status: "succeeded" });
    await apply(payment.id, succeeded);
    await apply(payment.id, { ...succeeded, status: "pending" });

    const [row] = await refundRows(payment.id);
    expect(row!.status).toBe("succeeded");
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "refunded", amountRefunded: 4000 });
  });

  it("moves the payment only when Stripe confirms: a pending refund changes no totals", async () => {
    const { payment } = await createPaidPayment({ viaStripe: false, quantity: 1, unitAmount: 4000 });
    const pending = stripeRefund(payment.stripePaymentIntentId!, { amount: 1000, status: "pending" });
    await apply(payment.id, pending);
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
    await apply(payment.id, { ...pending, status: "succeeded" });
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 1000 });
  });

  it("puts the money and the tickets back when a refund fails after it had succeeded", async () => {
    const { payment, organization, tickets } = await createPaidPayment({ viaStripe: false, quantity: 2, unitAmount: 2500 });
    const row = await pendingTicketRefund(payment.id, organization.id, tickets[1]!.id, 2500);
    const refund = stripeRefund(payment.stripePaymentIntentId!, { amount: 2500, metadata: { [refundIdMetadataKey]: row.id } });
    await apply(payment.id, refund);
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2500 });

    await apply(payment.id, { ...refund, status: "failed", failure_reason: "expired_or_canceled_card" });

    const [failed] = await refundRows(payment.id);
    expect(failed).toMatchObject({ status: "failed", failureReason: "expired_or_canceled_card" });
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
    expect((await reloadTickets(payment.id)).map((t) => [t.status, t.placeReleased])).toEqual([
      ["valid", false],
      ["valid", false],
    ]);
    // A late "succeeded" snapshot of the same refund cannot revive it.
    await apply(payment.id, refund);
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
  });

  it("keeps a ticket void when its refund fails after its place was sold again: never oversell", async () => {
    const seller = await createSellingEvent({ ticketType: { capacity: 2, price: 2500 } });
    const { payment, organization, tickets } = await createPaidPayment({ viaStripe: false, quantity: 2, unitAmount: 2500, seller });
    const row = await pendingTicketRefund(payment.id, organization.id, tickets[0]!.id, 2500);
    const refund = stripeRefund(payment.stripePaymentIntentId!, { amount: 2500, metadata: { [refundIdMetadataKey]: row.id } });
    await apply(payment.id, refund);
    // The released place goes to another buyer before Stripe reports the refund failed.
    await createPaidPayment({ viaStripe: false, quantity: 1, unitAmount: 2500, seller });

    await apply(payment.id, { ...refund, status: "failed", failure_reason: "expired_or_canceled_card" });
    await apply(payment.id, { ...refund, status: "failed", failure_reason: "expired_or_canceled_card" });

    expect(await reloadPayment(payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
    const after = await reloadTickets(payment.id);
    expect(after.find((t) => t.id === tickets[0]!.id)).toMatchObject({ status: "void", placeReleased: true });
    expect(after.find((t) => t.id === tickets[1]!.id)).toMatchObject({ status: "valid" });
    const [failed] = await refundRows(payment.id);
    expect(failed!.failureReason).toBe("expired_or_canceled_card; 1 ticket(s) stay void: their places were sold again");
    const [places] = await (await getDb())
      .select({ left: availableExpression(new Date()) })
      .from(ticketTypes)
      .where(eq(ticketTypes.id, seller.ticketType.id));
    expect(places!.left).toBe(0);
  });

  it("records a refund made in Stripe's dashboard as external and counts it", async () => {
    const { payment } = await createPaidPayment({ viaStripe: false, quantity: 2, unitAmount: 2500 });
    const external = stripeRefund(payment.stripePaymentIntentId!, { amount: 1200, reason: "requested_by_customer" });

    const row = await apply(payment.id, external);

    expect(row).toMatchObject({ stripeRefundId: external.id, external: true, amount: 1200, status: "succeeded", sequence: null });
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 1200 });
    // No tickets are touched by a refund that names none.
    expect((await reloadTickets(payment.id)).every((t) => t.status === "valid")).toBe(true);
  });

  it("applies the same snapshot any number of times with one effect", async () => {
    const { payment } = await createPaidPayment({ viaStripe: false, quantity: 2, unitAmount: 2500 });
    const refund = stripeRefund(payment.stripePaymentIntentId!, { amount: 5000 });
    for (let i = 0; i < 3; i++) await apply(payment.id, refund);
    await Promise.all([apply(payment.id, refund), apply(payment.id, refund)]);

    expect(await refundRows(payment.id)).toHaveLength(1);
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "refunded", amountRefunded: 5000 });
  });

  it("never revives a payment that did not succeed", async () => {
    const { payment } = await createPaidPayment({ viaStripe: false, quantity: 1, unitAmount: 2500 });
    await (await getDb()).update(eventPayments).set({ status: "failed" }).where(eq(eventPayments.id, payment.id));
    await apply(payment.id, stripeRefund(payment.stripePaymentIntentId!, { amount: 2500 }));
    expect(await reloadPayment(payment.id)).toMatchObject({ status: "failed", amountRefunded: 0 });
  });
});
