import "server-only";
import { getDb, type Executor } from "@/db/client";
import { findPaymentOfOrganization } from "@/db/queries/organizer-payments";
import { lockPaymentOfOrganization } from "@/db/queries/payments";
import { findRefundByRequestKey, findRefundOfOrganization, insertRefund, voidTickets } from "@/db/queries/refunds";
import type { EventPayment, Refund } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import type { RefundInput, ReviewedRefund } from "./input";
import { assertPlanAsReviewed, planRefund, sameTicketIds, type RefundPlan } from "./plan-refund";
import { awaitsStripesAnswer, refusedByStripe, sendRefundToStripe } from "./send-to-stripe";

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
 * With `requestKey` (Idempotency-Key header, confirm token), a request sent again finds the refund
 * its key made, under the same lock and before planning, and gets it back as it stands: no second
 * plan, row or Stripe call. The same key with a different request is refused, changing nothing.
 */
export async function requestRefund(
  actor: RefundActor,
  paymentId: string,
  input: RefundInput,
  reviewed?: ReviewedRefund,
  requestKey?: string,
): Promise<RefundResult> {
  if (!isUuid(paymentId)) throw notFound("The payment");
  const db = await getDb();
  const outcome = await db.transaction(async (tx): Promise<{ payment: EventPayment; made: Refund } | { payment: EventPayment; row: Refund }> => {
    const payment = await lockPaymentOfOrganization(tx, actor.organizationId, paymentId);
    if (!payment) throw notFound("The payment");
    // Under the lock, a concurrent request with the same key has committed its row or not begun.
    const made = requestKey ? await findRefundByRequestKey(tx, payment.id, requestKey) : undefined;
    if (made) {
      assertSameRequest(made, input, reviewed);
      return { payment, made };
    }
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
      requestKey: requestKey ?? null,
      createdByUserId: actor.userId,
    });
    // Places stay taken until Stripe confirms (applyStripeRefund releases them then).
    await voidTickets(tx, payment.id, plan.ticketIds);
    return { payment, row };
  });
  if ("made" in outcome) return replay(outcome.payment, outcome.made);
  return resultOf(await sendRefundToStripe(outcome.payment, outcome.row));
}

/**
 * A request sent again gets what its key made, as Stripe answers a reused key. A refund Stripe has
 * not answered yet (the first try got no answer, or is still waiting) is sent again with the same
 * Stripe idempotency key, so retrying the request is how an API client completes it; one Stripe
 * refused is refused again with its reason.
 */
async function replay(payment: EventPayment, made: Refund): Promise<RefundResult> {
  if (awaitsStripesAnswer(made)) return resultOf(await sendRefundToStripe(payment, made));
  if (made.status === "failed" && !made.stripeRefundId) throw refusedByStripe(made.id, made.failureReason ?? "no reason given.");
  return resultOf(made);
}

/**
 * A key sent again must ask for the refund it made: an explicit amount, explicit tickets or what the
 * confirm step reviewed must match the row (a full refund's "whatever remains" matches by nature).
 */
function assertSameRequest(made: Refund, input: RefundInput, reviewed?: ReviewedRefund): void {
  const differs =
    (input.amount !== undefined && input.amount !== made.amount) ||
    (input.ticketIds !== undefined && !sameTicketIds(input.ticketIds, made.ticketIds)) ||
    (reviewed !== undefined && (reviewed.amount !== made.amount || !sameTicketIds(reviewed.ticketIds, made.ticketIds)));
  if (differs) {
    throw new AppError("idempotency_key_reused", "This request key was already used for a different refund. Send a new key for a new refund.");
  }
}

const resultOf = (row: Refund): RefundResult => ({ refundId: row.id, amount: row.amount, currency: row.currency, status: row.status });

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
  if (!awaitsStripesAnswer(row)) {
    throw new AppError("conflict", "Only a refund still waiting for Stripe's first answer can be retried.");
  }
  return resultOf(await sendRefundToStripe(payment, row));
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
