import "server-only";
import type Stripe from "stripe";
import type { Transaction } from "@/db/client";
import { lockPayment, lockTicketTypeAvailability } from "@/db/queries/payments";
import {
  findRefundByStripeId,
  findRefundOfPayment,
  insertRefund,
  refundStatusRank,
  releaseTicketPlaces,
  restoreTickets,
  setPaymentRefundTotals,
  summarizeRefunds,
  updateRefund,
  voidTickets,
} from "@/db/queries/refunds";
import type { EventPayment, Refund, RefundStatus } from "@/db/schema";
import { isUuid } from "@/lib/validation";

/** Stripe refund metadata key carrying our refund row id, so Stripe's answer finds its row. */
export const refundIdMetadataKey = "boxoffice_refund_id";

const refundedStatuses = new Set<EventPayment["status"]>(["succeeded", "partially_refunded", "refunded"]);

/**
 * Applies what Stripe says about one refund of one payment — from the API answer, from a
 * `refund.*` or `charge.refunded` webhook, in any order and any number of times:
 *  - finds our row by Stripe's `re_` id, else by the row id in its metadata, else records it as an
 *    external refund (made in Stripe's dashboard);
 *  - moves its status only forward (pending → succeeded → failed), so an old snapshot arriving
 *    late cannot undo a newer one;
 *  - keeps the refund's tickets void while it stands, and gives them back when it fails;
 *  - recomputes the payment's `amount_refunded` and status from the refunds that succeeded.
 * The caller runs it inside the transaction that records the webhook event.
 */
export async function applyStripeRefund(tx: Transaction, paymentId: string, refund: Stripe.Refund): Promise<Refund | undefined> {
  const payment = await lockPayment(tx, paymentId);
  if (!payment) return undefined;
  const incoming = toRefundStatus(refund.status);
  // A failing refund may give back tickets whose places were sold again: count what is left under
  // the ticket type's lock. Taken after the payment's lock (the webhook holds it already), which
  // cannot deadlock: the only writers that lock a ticket type and then a payment (purchase,
  // fulfilment of a lapsed hold) lock pending payments, and a payment with refunds has been paid.
  const placesLeft =
    incoming === "failed" || incoming === "canceled"
      ? await lockTicketTypeAvailability(tx, payment.ticketTypeId, new Date())
      : 0;
  const existing =
    (await findRefundByStripeId(tx, refund.id)) ??
    (isUuid(refund.metadata?.[refundIdMetadataKey])
      ? await findRefundOfPayment(tx, paymentId, refund.metadata![refundIdMetadataKey]!)
      : undefined);

  let row: Refund;
  if (!existing) {
    row = await insertRefund(tx, {
      paymentId,
      organizationId: payment.organizationId,
      stripeRefundId: refund.id,
      amount: refund.amount,
      currency: refund.currency,
      status: incoming,
      reason: refund.reason ?? null,
      external: true,
      failureReason: refund.failure_reason ?? null,
      createdAt: new Date(refund.created * 1000),
    });
  } else if (existing.stripeRefundId !== refund.id || refundStatusRank[incoming] > refundStatusRank[existing.status]) {
    row = await updateRefund(tx, existing.id, {
      stripeRefundId: refund.id,
      status: refundStatusRank[incoming] > refundStatusRank[existing.status] ? incoming : existing.status,
      failureReason: refund.failure_reason ?? existing.failureReason,
    });
  } else {
    row = existing;
  }

  if (row.status === "failed" || row.status === "canceled") {
    const keptVoid = await restoreTickets(tx, paymentId, row.ticketIds, placesLeft);
    const note = `${keptVoid} ticket(s) stay void: their places were sold again`;
    if (keptVoid > 0 && !row.failureReason?.includes(note)) {
      row = await updateRefund(tx, row.id, { failureReason: row.failureReason ? `${row.failureReason}; ${note}` : note });
    }
  } else {
    await voidTickets(tx, paymentId, row.ticketIds);
    if (row.status === "succeeded" && row.releasePlaces) await releaseTicketPlaces(tx, paymentId, row.ticketIds);
  }

  await recomputePaymentRefunds(tx, payment);
  return row;
}

/**
 * `amount_refunded` is always the sum of refunds Stripe confirmed; the status follows from it. Only
 * paid payments change: a refund event can never revive a failed or expired one.
 */
export async function recomputePaymentRefunds(tx: Transaction, payment: EventPayment): Promise<void> {
  if (!refundedStatuses.has(payment.status)) return;
  const { succeeded } = await summarizeRefunds(tx, payment.id);
  const amountRefunded = Math.min(succeeded, payment.amountTotal);
  const status = amountRefunded === 0 ? "succeeded" : amountRefunded >= payment.amountTotal ? "refunded" : "partially_refunded";
  if (amountRefunded !== payment.amountRefunded || status !== payment.status) {
    await setPaymentRefundTotals(tx, payment.id, amountRefunded, status);
  }
}

function toRefundStatus(status: string | null): RefundStatus {
  switch (status) {
    case "succeeded":
    case "failed":
    case "canceled":
    case "requires_action":
      return status;
    default:
      return "pending";
  }
}
