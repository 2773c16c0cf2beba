import "server-only";
import type Stripe from "stripe";
import type { Transaction } from "@/db/client";
import { lockPayment } from "@/db/queries/payments";
import {
  findRefundByStripeId,
  findRefundOfPayment,
  insertRefund,
  refundStatusRank,
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

  if (row.status === "failed" || row.status === "canceled") await restoreTickets(tx, paymentId, row.ticketIds);
  else await voidTickets(tx, paymentId, row.ticketIds, row.releasePlaces);

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
