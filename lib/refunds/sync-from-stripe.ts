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
  restoreTicketsOfRefund,
  setPaymentRefundTotals,
  summarizeRefunds,
  updateRefund,
  voidTickets,
} from "@/db/queries/refunds";
import type { EventPayment, Refund, RefundStatus } from "@/db/schema";
import { isUuid } from "@/lib/validation";
import { ticketStatusUnderDispute } from "./dispute-status";

/** Stripe refund metadata key carrying our refund row id, so Stripe's answer finds its row. */
export const refundIdMetadataKey = "boxoffice_refund_id";

const refundedStatuses = new Set<EventPayment["status"]>(["succeeded", "partially_refunded", "refunded"]);

/**
 * Applies what Stripe says about one refund of one payment — from the API answer, from a
 * `refund.*` or `charge.refunded` webhook, in any order and any number of times:
 *  - finds our row by Stripe's `re_` id, else by the row id in its metadata, else records it as an
 *    external refund (made in Stripe's dashboard);
 *  - moves its status only forward (pending → succeeded → failed), so an old snapshot arriving
 *    late cannot undo a newer one — except that a failure we decided ourselves (Stripe never
 *    confirmed the row) gives way to a refund Stripe says it made;
 *  - keeps the refund's tickets void while it stands, and gives them back once, when it fails;
 *  - recomputes the payment's `amount_refunded` and status from the refunds that succeeded.
 * The caller runs it inside the transaction that records the webhook event.
 */
export async function applyStripeRefund(tx: Transaction, paymentId: string, refund: Stripe.Refund): Promise<Refund | undefined> {
  const payment = await lockPayment(tx, paymentId);
  if (!payment) return undefined;
  const incoming = toRefundStatus(refund.status);
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
  } else if (isFailed(existing.status) && !existing.stripeRefundId && !isFailed(incoming)) {
    // We failed this row from an answer that only looked like a refusal; Stripe's own record of
    // the refund is the truth. Its tickets are voided again below and the money counts again.
    row = await updateRefund(tx, existing.id, { stripeRefundId: refund.id, status: incoming, failureReason: null });
  } else if (existing.stripeRefundId !== refund.id || refundStatusRank[incoming] > refundStatusRank[existing.status]) {
    row = await updateRefund(tx, existing.id, {
      stripeRefundId: refund.id,
      status: refundStatusRank[incoming] > refundStatusRank[existing.status] ? incoming : existing.status,
      failureReason: refund.failure_reason ?? existing.failureReason,
    });
  } else {
    row = existing;
  }

  if (!isFailed(row.status)) {
    await voidTickets(tx, paymentId, row.ticketIds);
    if (row.status === "succeeded" && row.releasePlaces) await releaseTicketPlaces(tx, paymentId, row.ticketIds);
  } else if (existing && !isFailed(existing.status)) {
    // Only on the move into failed: `charge.refunded` replays every refund of the charge and Stripe
    // sends both `refund.updated` and `refund.failed`, while the tickets may have been voided
    // again since (another refund, a lost dispute).
    row = await giveTicketsBack(tx, payment, row);
  }

  await recomputePaymentRefunds(tx, payment);
  return row;
}

/**
 * Stripe refused to make a pending refund (an answer that proves no refund exists): the row fails
 * and gives its tickets back. Nothing else changes; a row Stripe already answered is left alone.
 */
export async function failRefusedRefund(tx: Transaction, paymentId: string, refundId: string, message: string): Promise<void> {
  const payment = await lockPayment(tx, paymentId);
  if (!payment) return;
  const row = await findRefundOfPayment(tx, paymentId, refundId);
  if (!row || row.status !== "pending" || row.stripeRefundId) return;
  const failed = await updateRefund(tx, row.id, { status: "failed", failureReason: message.slice(0, 500) });
  await giveTicketsBack(tx, payment, failed);
}

/**
 * Gives a refund that has just failed its tickets back — suspended while the payment is disputed,
 * never over a lost dispute's void (the chargeback took the money). A ticket whose place was sold
 * again stays void, and the refund's failure reason says so for the organizer.
 */
async function giveTicketsBack(tx: Transaction, payment: EventPayment, row: Refund): Promise<Refund> {
  const to = ticketStatusUnderDispute(payment);
  if (to === "void" || row.ticketIds.length === 0) return row;
  // Places left are counted under the ticket type's lock, taken after the payment's (the caller
  // holds it), which cannot deadlock: the only writers that lock a ticket type and then a payment
  // (purchase, fulfilment of a lapsed hold) lock pending payments, and a refunded one has been paid.
  const placesLeft = await lockTicketTypeAvailability(tx, payment.ticketTypeId, new Date());
  const keptVoid = await restoreTicketsOfRefund(tx, row, placesLeft, to);
  const note = `${keptVoid} ticket(s) stay void: their places were sold again`;
  if (keptVoid === 0 || row.failureReason?.includes(note)) return row;
  return updateRefund(tx, row.id, { failureReason: row.failureReason ? `${row.failureReason}; ${note}` : note });
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

function isFailed(status: RefundStatus): boolean {
  return status === "failed" || status === "canceled";
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
