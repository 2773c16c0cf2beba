import "server-only";
import { getDb, type Executor } from "@/db/client";
import { findPaymentOfOrganization } from "@/db/queries/organizer-payments";
import { lockPaymentOfOrganization } from "@/db/queries/payments";
import { findRefundOfOrganization, insertRefund, voidTickets } from "@/db/queries/refunds";
import type { EventPayment, Refund } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import type { RefundInput, ReviewedRefund } from "./input";
import { assertPlanAsReviewed, planRefund, type RefundPlan } from "./plan-refund";
import { sendRefundToStripe } from "./send-to-stripe";

export interface RefundActor {
  organizationId: string;
  userId: string;
}

export interface RefundResult {
  refundId: string;
  amount: number;
  currency: string;
  status: Refund["status"];
}

/**
 * Refunds (part of) a payment. Two steps, so a crash between them leaves a row that a webhook or a
 * retry completes, never a lost or double refund:
 *  1. one transaction under the payment's row lock: check what remains (counting pending refunds),
 *     write the refund as `pending` with the next sequence number, void the chosen tickets;
 *  2. after commit, outside the lock: ask Stripe (idempotency key `refund:{paymentId}:{n}`) and
 *     apply its answer. The payment's status moves only when Stripe confirms.
 * With `reviewed` (the confirmation step), the refund is made only if it still means what the
 * organizer reviewed; otherwise nothing is written.
 */
export async function requestRefund(actor: RefundActor, paymentId: string, input: RefundInput, reviewed?: ReviewedRefund): Promise<RefundResult> {
  if (!isUuid(paymentId)) throw notFound("The payment");
  const db = await getDb();
  const { payment, row } = await db.transaction(async (tx) => {
    const payment = await lockPaymentOfOrganization(tx, actor.organizationId, paymentId);
    if (!payment) throw notFound("The payment");
    const plan = await planRefund(tx, payment, input);
    if (reviewed) assertPlanAsReviewed(plan, reviewed);
    const row = await insertRefund(tx, {
      paymentId: payment.id,
      organizationId: payment.organizationId,
      sequence: plan.sequence,
      amount: plan.amount,
      currency: payment.currency,
      status: "pending",
      reason: input.reason ?? null,
      note: input.note || null,
      ticketIds: plan.ticketIds,
      releasePlaces: plan.releasePlaces,
      createdByUserId: actor.userId,
    });
    // Places stay taken until Stripe confirms (applyStripeRefund releases them then).
    await voidTickets(tx, payment.id, plan.ticketIds);
    return { payment, row };
  });
  const applied = await sendRefundToStripe(payment, row);
  return { refundId: applied.id, amount: applied.amount, currency: applied.currency, status: applied.status };
}

/** The confirmation step: what a request would refund, without writing anything. */
export async function quoteRefund(actor: RefundActor, paymentId: string, input: RefundInput): Promise<RefundPlan> {
  const db = await getDb();
  const payment = await findPayment(db, actor.organizationId, paymentId);
  return planRefund(db, payment, input);
}

/**
 * Completes a refund left `pending` without a Stripe id (Stripe did not answer, or the process died
 * before it could): sends it again with the same idempotency key, so Stripe returns the refund it
 * may already have made instead of making a second one.
 */
export async function retryPendingRefund(actor: RefundActor, paymentId: string, refundId: string): Promise<RefundResult> {
  const db = await getDb();
  const payment = await findPayment(db, actor.organizationId, paymentId);
  if (!isUuid(refundId)) throw notFound("The refund");
  const row = await findRefundOfOrganization(db, actor.organizationId, paymentId, refundId);
  if (!row) throw notFound("The refund");
  if (row.status !== "pending" || row.stripeRefundId || row.external) {
    throw new AppError("conflict", "Only a refund still waiting for Stripe's first answer can be retried.");
  }
  const applied = await sendRefundToStripe(payment, row);
  return { refundId: applied.id, amount: applied.amount, currency: applied.currency, status: applied.status };
}

/** One payment of the organization, or the same 404 for a malformed id and another organization's payment. */
export async function findPaymentToRefund(organizationId: string, paymentId: string): Promise<EventPayment> {
  return findPayment(await getDb(), organizationId, paymentId);
}

async function findPayment(db: Executor, organizationId: string, paymentId: string): Promise<EventPayment> {
  if (!isUuid(paymentId)) throw notFound("The payment");
  const payment = await findPaymentOfOrganization(db, organizationId, paymentId);
  if (!payment) throw notFound("The payment");
  return payment;
}
