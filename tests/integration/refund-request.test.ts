import { eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { availableExpression } from "@/db/queries/availability";
import { insertRefund } from "@/db/queries/refunds";
import { eventPayments, refunds, ticketTypes } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { refundIdempotencyKey } from "@/lib/refunds/send-to-stripe";
import { requestRefund, retryPendingRefund, type RefundActor } from "@/lib/refunds/request-refund";
import { applyStripeRefund, refundIdMetadataKey } from "@/lib/refunds/sync-from-stripe";
import { getStripe } from "@/lib/stripe/client";
import { createPaidPayment, reloadPayment, reloadTickets } from "../factories/organizer";
import { findEmulatorEvent, redeliver, sendEvent } from "../factories/payments";
import { withBrokenStripe } from "./support/stripe";
import { refusal } from "./support/app-error";

type Paid = Awaited<ReturnType<typeof createPaidPayment>>;
const actorOf = (paid: Paid): RefundActor => ({ organizationId: paid.organization.id, userId: paid.owner!.id });

async function refundRows(paymentId: string) {
  return (await getDb()).select().from(refunds).where(eq(refunds.paymentId, paymentId)).orderBy(refunds.sequence);
}

async function available(ticketTypeId: string): Promise<number> {
  const [row] = await (await getDb())
    .select({ n: availableExpression(new Date()) })
    .from(ticketTypes)
    .where(eq(ticketTypes.id, ticketTypeId));
  return row!.n;
}

async function stripeRefundsOf(paymentIntent: string) {
  return (await getStripe().refunds.list({ payment_intent: paymentIntent, limit: 100 })).data;
}

describe("refunding a payment", () => {
  it("refunds everything: Stripe refunds the total, the payment is refunded, its tickets void and back on sale", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const before = await available(paid.ticketType.id);

    const result = await requestRefund(actorOf(paid), paid.payment.id, { reason: "requested_by_customer", note: "Can't come" });

    expect(result).toMatchObject({ amount: 5000, currency: "eur", status: "succeeded" });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "refunded", amountRefunded: 5000 });
    expect((await reloadTickets(paid.payment.id)).map((t) => t.status)).toEqual(["void", "void"]);
    expect(await available(paid.ticketType.id)).toBe(before + 2);
    const [row] = await refundRows(paid.payment.id);
    expect(row).toMatchObject({ id: result.refundId, sequence: 1, status: "succeeded", reason: "requested_by_customer", note: "Can't come", createdByUserId: paid.owner!.id });
    const atStripe = await stripeRefundsOf(paid.payment.stripePaymentIntentId!);
    expect(atStripe).toHaveLength(1);
    expect(atStripe[0]).toMatchObject({ id: row!.stripeRefundId, amount: 5000, reason: "requested_by_customer", metadata: { [refundIdMetadataKey]: row!.id } });
  });

  it("allows two partial refunds, then refuses a third that would exceed what remains and changes nothing", async () => {
    const paid = await createPaidPayment({ quantity: 1, unitAmount: 10000 });
    await requestRefund(actorOf(paid), paid.payment.id, { amount: 4000 });
    await requestRefund(actorOf(paid), paid.payment.id, { amount: 4000 });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 8000 });

    const error = await refusal(requestRefund(actorOf(paid), paid.payment.id, { amount: 4000 }));

    expect(error).toMatchObject({ code: "refund_exceeds_remaining", status: 409, details: { remaining: 2000 } });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 8000 });
    expect((await refundRows(paid.payment.id)).map((r) => [r.sequence, r.amount, r.status])).toEqual([
      [1, 4000, "succeeded"],
      [2, 4000, "succeeded"],
    ]);
    expect(await stripeRefundsOf(paid.payment.stripePaymentIntentId!)).toHaveLength(2);
    // The rest is still refundable, and then nothing is.
    await requestRefund(actorOf(paid), paid.payment.id, {});
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "refunded", amountRefunded: 10000 });
    expect(await refusal(requestRefund(actorOf(paid), paid.payment.id, {}))).toMatchObject({ code: "payment_not_refundable" });
  });

  it("lets at most two of ten concurrent 40% refunds through, never more than the total", async () => {
    const paid = await createPaidPayment({ quantity: 1, unitAmount: 10000 });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => requestRefund(actorOf(paid), paid.payment.id, { amount: 4000 })),
    );
    const succeeded = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(succeeded.length).toBeLessThanOrEqual(2);
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "refund_exceeds_remaining" });

    const rows = await refundRows(paid.payment.id);
    expect(rows).toHaveLength(succeeded.length);
    const payment = await reloadPayment(paid.payment.id);
    expect(payment.amountRefunded).toBe(4000 * succeeded.length);
    const atStripe = await stripeRefundsOf(paid.payment.stripePaymentIntentId!);
    expect(atStripe.reduce((sum, r) => sum + r.amount, 0)).toBeLessThanOrEqual(10000);
    expect(atStripe).toHaveLength(succeeded.length);
  });

  it("refunds chosen tickets: exactly those are voided and, by default, go back on sale", async () => {
    const paid = await createPaidPayment({ quantity: 3, unitAmount: 3000 });
    const [keep, drop1, drop2] = paid.tickets;
    const before = await available(paid.ticketType.id);

    const result = await requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [drop1!.id, drop2!.id] });

    expect(result).toMatchObject({ amount: 6000, status: "succeeded" });
    const after = await reloadTickets(paid.payment.id);
    expect(after.find((t) => t.id === keep!.id)).toMatchObject({ status: "valid", placeReleased: false });
    for (const id of [drop1!.id, drop2!.id]) expect(after.find((t) => t.id === id)).toMatchObject({ status: "void", placeReleased: true });
    expect(await available(paid.ticketType.id)).toBe(before + 2);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 6000 });

    // The same ticket cannot be refunded twice.
    expect(await refusal(requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [drop1!.id] }))).toMatchObject({ status: 400 });
  });

  it("keeps the places off sale when the organizer says so", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 3000 });
    const before = await available(paid.ticketType.id);
    await requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [paid.tickets[0]!.id], releasePlaces: false });
    expect((await reloadTickets(paid.payment.id)).find((t) => t.id === paid.tickets[0]!.id)).toMatchObject({ status: "void", placeReleased: false });
    expect(await available(paid.ticketType.id)).toBe(before);
  });

  it("refunds yen in whole yen (a zero-decimal currency)", async () => {
    const paid = await createPaidPayment({ currency: "jpy", quantity: 2, unitAmount: 8000 });
    const result = await requestRefund(actorOf(paid), paid.payment.id, { amount: 3000 });
    expect(result).toMatchObject({ amount: 3000, currency: "jpy", status: "succeeded" });
    const [atStripe] = await stripeRefundsOf(paid.payment.stripePaymentIntentId!);
    expect(atStripe).toMatchObject({ amount: 3000, currency: "jpy" });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 3000 });
    expect(await refusal(requestRefund(actorOf(paid), paid.payment.id, { amount: 13001 }))).toMatchObject({ details: { remaining: 13000 } });
  });

  it("marks the pending row failed when Stripe refuses, and changes nothing else", async () => {
    // Rows only: Stripe has never heard of this PaymentIntent, so it answers 404.
    const paid = await createPaidPayment({ viaStripe: false, quantity: 2, unitAmount: 2500 });
    const error = await refusal(requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [paid.tickets[0]!.id] }));

    expect(error).toMatchObject({ code: "payment_provider_unavailable", status: 502, details: { refundStatus: "failed" } });
    const [row] = await refundRows(paid.payment.id);
    expect(row).toMatchObject({ status: "failed", stripeRefundId: null, amount: 2500 });
    expect(row!.failureReason).toBeTruthy();
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
    expect((await reloadTickets(paid.payment.id)).map((t) => [t.status, t.placeReleased])).toEqual([
      ["valid", false],
      ["valid", false],
    ]);
  });

  it("puts money and tickets back when a refund that succeeded later fails at Stripe", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [paid.tickets[0]!.id] });
    const [row] = await refundRows(paid.payment.id);
    const failed = await fetch(`${process.env.STRIPE_API_URL}/_emulator/refunds/${row!.stripeRefundId}/fail`, {
      method: "POST",
      headers: { authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}` },
    });
    expect(failed.ok).toBe(true);

    // What the refund.failed webhook carries.
    const snapshot = await getStripe().refunds.retrieve(row!.stripeRefundId!);
    expect(snapshot.status).toBe("failed");
    await (await getDb()).transaction((tx) => applyStripeRefund(tx, paid.payment.id, snapshot));

    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
    expect((await reloadTickets(paid.payment.id)).every((t) => t.status === "valid" && !t.placeReleased)).toBe(true);
    // The money is refundable again.
    await requestRefund(actorOf(paid), paid.payment.id, { amount: 5000 });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "refunded", amountRefunded: 5000 });
  });

  it("counts a refund made in Stripe's dashboard, marked external, against what remains", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const dashboard = await getStripe().refunds.create({ payment_intent: paid.payment.stripePaymentIntentId!, amount: 1000 });
    await (await getDb()).transaction((tx) => applyStripeRefund(tx, paid.payment.id, dashboard));

    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 1000 });
    const [external] = await refundRows(paid.payment.id);
    expect(external).toMatchObject({ external: true, stripeRefundId: dashboard.id, createdByUserId: null });
    expect(await refusal(requestRefund(actorOf(paid), paid.payment.id, { amount: 4500 }))).toMatchObject({ details: { remaining: 4000 } });
    const rest = await requestRefund(actorOf(paid), paid.payment.id, {});
    expect(rest.amount).toBe(4000);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "refunded", amountRefunded: 5000 });
  });

  it("completes a pending refund left by a crash with the same idempotency key, never refunding twice", async () => {
    const paid = await createPaidPayment({ quantity: 1, unitAmount: 7000 });
    const db = await getDb();
    // The first attempt wrote its row and reached Stripe, then the process died before applying the answer.
    const row = await db.transaction((tx) =>
      insertRefund(tx, { paymentId: paid.payment.id, organizationId: paid.organization.id, sequence: 1, amount: 7000, currency: "eur", status: "pending" }),
    );
    await getStripe().refunds.create(
      { payment_intent: paid.payment.stripePaymentIntentId!, amount: 7000, metadata: { [refundIdMetadataKey]: row.id, boxoffice_payment_id: paid.payment.id } },
      { idempotencyKey: refundIdempotencyKey(paid.payment.id, 1) },
    );
    // Meanwhile the pending row holds the money: nothing else can be refunded.
    expect(await refusal(requestRefund(actorOf(paid), paid.payment.id, {}))).toMatchObject({ code: "nothing_to_refund" });

    const result = await retryPendingRefund(actorOf(paid), paid.payment.id, row.id);

    expect(result).toMatchObject({ refundId: row.id, status: "succeeded", amount: 7000 });
    expect(await stripeRefundsOf(paid.payment.stripePaymentIntentId!)).toHaveLength(1);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "refunded", amountRefunded: 7000 });
  });

  it("keeps the row pending when Stripe does not answer, and a retry completes it", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const cache = globalThis as unknown as { __boxofficeStripe?: Stripe };
    const real = getStripe();
    // The real SDK, pointed at a port where nothing listens: what an outage looks like to the app.
    cache.__boxofficeStripe = new Stripe("sk_test_unreachable", { host: "127.0.0.1", port: 9, protocol: "http", maxNetworkRetries: 0 });
    let error: AppError;
    try {
      error = await refusal(requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [paid.tickets[0]!.id] }));
    } finally {
      cache.__boxofficeStripe = real;
    }
    expect(error).toMatchObject({ code: "payment_provider_unavailable", status: 502, details: { refundStatus: "pending" } });
    const [row] = await refundRows(paid.payment.id);
    expect(row).toMatchObject({ status: "pending", stripeRefundId: null });
    // Still pending: the money is promised and the ticket stays void; the payment has not moved.
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
    expect((await reloadTickets(paid.payment.id)).find((t) => t.id === paid.tickets[0]!.id)!.status).toBe("void");
    expect(await refusal(requestRefund(actorOf(paid), paid.payment.id, { amount: 2501 }))).toMatchObject({ details: { remaining: 2500 } });

    const retried = await retryPendingRefund(actorOf(paid), paid.payment.id, row!.id);
    expect(retried).toMatchObject({ refundId: row!.id, status: "succeeded" });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2500 });
    expect(await stripeRefundsOf(paid.payment.stripePaymentIntentId!)).toHaveLength(1);
  });

  it.each([
    [409, "a request with the same idempotency key still in flight"],
    [429, "rate limit or lock timeout"],
  ])("keeps the row pending when Stripe answers %i (%s), and a retry completes it", async (status) => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const error = await withBrokenStripe(status, () => refusal(requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [paid.tickets[0]!.id] })));

    // Such an answer does not say that no refund was made: the money stays promised, the ticket void.
    expect(error).toMatchObject({ code: "payment_provider_unavailable", status: 502, details: { refundStatus: "pending" } });
    const [row] = await refundRows(paid.payment.id);
    expect(row).toMatchObject({ status: "pending", stripeRefundId: null, failureReason: null });
    expect((await reloadTickets(paid.payment.id)).find((t) => t.id === paid.tickets[0]!.id)!.status).toBe("void");
    expect(await refusal(requestRefund(actorOf(paid), paid.payment.id, { amount: 2501 }))).toMatchObject({ details: { remaining: 2500 } });

    expect(await retryPendingRefund(actorOf(paid), paid.payment.id, row!.id)).toMatchObject({ refundId: row!.id, status: "succeeded" });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2500 });
    expect(await stripeRefundsOf(paid.payment.stripePaymentIntentId!)).toHaveLength(1);
  });

  it("lets a refund Stripe confirms override a failure that was only decided locally", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const [t1, t2] = paid.tickets;
    // Our side marked the refund failed from an answer alone (here a 400) and gave the ticket back…
    await withBrokenStripe(400, () => refusal(requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [t1!.id] })));
    const [row] = await refundRows(paid.payment.id);
    expect(row).toMatchObject({ status: "failed", stripeRefundId: null });
    expect((await reloadTickets(paid.payment.id)).map((t) => t.status)).toEqual(["valid", "valid"]);

    // …but an earlier attempt with the same key had reached Stripe, which made the refund.
    const made = await getStripe().refunds.create(
      { payment_intent: paid.payment.stripePaymentIntentId!, amount: 2500, metadata: { [refundIdMetadataKey]: row!.id, boxoffice_payment_id: paid.payment.id } },
      { idempotencyKey: refundIdempotencyKey(paid.payment.id, 1) },
    );
    expect((await redeliver(await findEmulatorEvent("refund.created", (r) => r.id === made.id))).status).toBe(200);

    const [confirmed] = await refundRows(paid.payment.id);
    expect(confirmed).toMatchObject({ id: row!.id, status: "succeeded", stripeRefundId: made.id, failureReason: null });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2500 });
    const after = await reloadTickets(paid.payment.id);
    expect(after.find((t) => t.id === t1!.id)).toMatchObject({ status: "void", placeReleased: true });
    expect(after.find((t) => t.id === t2!.id)).toMatchObject({ status: "valid", placeReleased: false });
    // What remains counts the confirmed refund, and replays change nothing.
    const charge = await getStripe().charges.retrieve((await getStripe().paymentIntents.retrieve(paid.payment.stripePaymentIntentId!)).latest_charge as string);
    expect((await sendEvent("charge.refunded", charge)).status).toBe(200);
    expect(await refusal(requestRefund(actorOf(paid), paid.payment.id, { amount: 2501 }))).toMatchObject({ details: { remaining: 2500 } });
    expect(await refundRows(paid.payment.id)).toHaveLength(1);
  });

  it("counts both when the organizer refunded again before Stripe confirmed a locally failed refund, and a later failure of either gives back no ticket the other covers", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const [t1, t2] = paid.tickets;
    await withBrokenStripe(400, () => refusal(requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [t1!.id] })));
    const [first] = await refundRows(paid.payment.id);
    // The ticket is valid again, so the organizer refunds it a second time.
    const second = await requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [t1!.id] });
    expect(second).toMatchObject({ status: "succeeded", amount: 2500 });

    // Stripe had made the first refund after all: the buyer got the money twice, and the books say so.
    const made = await getStripe().refunds.create(
      { payment_intent: paid.payment.stripePaymentIntentId!, amount: 2500, metadata: { [refundIdMetadataKey]: first!.id, boxoffice_payment_id: paid.payment.id } },
      { idempotencyKey: refundIdempotencyKey(paid.payment.id, 1) },
    );
    expect((await redeliver(await findEmulatorEvent("refund.created", (r) => r.id === made.id))).status).toBe(200);
    expect((await refundRows(paid.payment.id)).map((r) => [r.sequence, r.status])).toEqual([
      [1, "succeeded"],
      [2, "succeeded"],
    ]);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "refunded", amountRefunded: 5000 });
    const both = await reloadTickets(paid.payment.id);
    expect(both.find((t) => t.id === t1!.id)?.status).toBe("void");
    expect(both.find((t) => t.id !== t1!.id)?.status).toBe("valid");

    // The first refund then fails at Stripe: its money comes back, but the ticket stays void — the
    // second refund still pays for it.
    await fetch(`${process.env.STRIPE_API_URL}/_emulator/refunds/${made.id}/fail`, { method: "POST" });
    expect((await redeliver(await findEmulatorEvent("refund.failed", (r) => r.id === made.id))).status).toBe(200);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2500 });
    const after = await reloadTickets(paid.payment.id);
    expect(after.find((t) => t.id === t1!.id)).toMatchObject({ status: "void", placeReleased: true });
    expect(after.find((t) => t.id === t2!.id)).toMatchObject({ status: "valid" });
  });

  it("refuses bad requests with 400 and refunds of unpaid payments with 409, writing nothing", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const other = await createPaidPayment({ viaStripe: false, seller: { organization: paid.organization, event: paid.event, ticketType: paid.ticketType } });
    const cases = [
      { ticketIds: [other.tickets[0]!.id] },
      { ticketIds: [crypto.randomUUID()] },
    ];
    for (const input of cases) {
      expect(await refusal(requestRefund(actorOf(paid), paid.payment.id, input))).toMatchObject({ status: 400 });
    }
    await (await getDb()).update(eventPayments).set({ status: "pending" }).where(eq(eventPayments.id, other.payment.id));
    expect(await refusal(requestRefund(actorOf(paid), other.payment.id, {}))).toMatchObject({ code: "payment_not_refundable", status: 409 });
    // Another organization's payment does not exist for this actor.
    const stranger = await createPaidPayment({ viaStripe: false });
    expect(await refusal(requestRefund(actorOf(paid), stranger.payment.id, {}))).toMatchObject({ code: "not_found", status: 404 });

    const [{ n }] = (await (await getDb()).select({ n: sql<number>`count(*)::int` }).from(refunds).where(eq(refunds.paymentId, paid.payment.id))) as [{ n: number }];
    expect(n).toBe(0);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
  });
});
