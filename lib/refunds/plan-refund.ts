import "server-only";
import type { Executor } from "@/db/client";
import { listTicketsOfPayment, summarizeRefunds } from "@/db/queries/refunds";
import type { EventPayment } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { formatMoney } from "@/lib/money";
import { disputeBlocksRefund } from "./dispute-status";
import type { RefundInput, ReviewedRefund } from "./input";

export interface RefundPlan {
  amount: number;
  currency: string;
  /** Tickets this refund voids: the chosen ones, or every ticket still valid for a full refund. */
  ticketIds: string[];
  releasePlaces: boolean;
  /** What could still be refunded before this refund. */
  remaining: number;
  full: boolean;
  /** The sequence number a refund made from this plan takes (binding only under the payment's row lock). */
  sequence: number;
}

/**
 * Decides what a refund request means for one payment, or says why it cannot be done. Read-only:
 * `requestRefund` runs it under the payment's row lock, the confirmation step runs it without one.
 * What remains counts pending refunds, so two requests in flight can never promise the same money.
 */
export async function planRefund(db: Executor, payment: EventPayment, input: RefundInput): Promise<RefundPlan> {
  if (payment.status !== "succeeded" && payment.status !== "partially_refunded") {
    throw new AppError("payment_not_refundable", `This payment is ${payment.status.replace("_", " ")}; only paid payments can be refunded.`);
  }
  if (!payment.stripePaymentIntentId) {
    throw new AppError("payment_not_refundable", "This payment has no Stripe payment to refund.");
  }
  if (disputeBlocksRefund(payment)) {
    throw new AppError(
      "payment_not_refundable",
      payment.disputeStatus === "lost"
        ? "This payment was charged back (dispute lost); there is nothing left to refund."
        : "This payment is being charged back; it can be refunded only if the dispute is won.",
    );
  }
  const { succeeded, pending, maxSequence } = await summarizeRefunds(db, payment.id);
  const remaining = payment.amountTotal - succeeded - pending;
  if (remaining <= 0) {
    throw new AppError("nothing_to_refund", "Everything paid has already been refunded or is being refunded.", { remaining: 0 });
  }

  const releasePlaces = input.releasePlaces ?? true;
  const tickets = await listTicketsOfPayment(db, payment.id);
  let amount: number;
  let ticketIds: string[] = [];
  if (input.ticketIds) {
    const chosen = [...new Set(input.ticketIds)];
    const valid = new Set(tickets.filter(isRefundableTicket).map((t) => t.id));
    const wrong = chosen.filter((id) => !valid.has(id));
    if (wrong.length > 0) {
      throw new AppError("validation_failed", "Some of those tickets are not valid tickets of this payment (already refunded or void?).", {
        fields: { ticketIds: `not refundable: ${wrong.join(", ")}` },
      });
    }
    ticketIds = chosen;
    amount = payment.unitAmount * chosen.length;
  } else if (input.amount !== undefined) {
    amount = input.amount;
  } else {
    amount = remaining;
    ticketIds = tickets.filter(isRefundableTicket).map((t) => t.id);
  }

  if (amount > remaining) {
    throw new AppError(
      "refund_exceeds_remaining",
      `Only ${formatMoney(remaining, payment.currency)} of this payment can still be refunded.`,
      { remaining, currency: payment.currency },
    );
  }
  if (amount <= 0) {
    // A ticket of a free ticket type: nothing to send to Stripe.
    throw new AppError("nothing_to_refund", "Those tickets were free; there is no money to refund.", { remaining });
  }
  return { amount, currency: payment.currency, ticketIds, releasePlaces, remaining, full: amount === remaining && !input.ticketIds && input.amount === undefined, sequence: maxSequence + 1 };
}

/** Refuses a plan that differs from what the organizer reviewed: they confirm an amount, not a formula. */
export function assertPlanAsReviewed(plan: RefundPlan, reviewed: ReviewedRefund): void {
  if (plan.amount === reviewed.amount && sameTicketIds(plan.ticketIds, reviewed.ticketIds)) return;
  const describe = (amount: number, tickets: number) =>
    `${formatMoney(amount, plan.currency)}${tickets > 0 ? ` and void ${tickets === 1 ? "1 ticket" : `${tickets} tickets`}` : ""}`;
  throw new AppError(
    "conflict",
    `This payment changed since you reviewed the refund: it would now refund ${describe(plan.amount, plan.ticketIds.length)}, ` +
      `not ${describe(reviewed.amount, reviewed.ticketIds.length)}. Nothing was refunded; review the refund again.`,
    { amount: plan.amount, ticketIds: plan.ticketIds },
  );
}

/** The same tickets, whatever the order (a request may name one twice; a refund row lists each once). */
export function sameTicketIds(asked: readonly string[], refunded: readonly string[]): boolean {
  const unique = new Set(asked);
  return unique.size === refunded.length && refunded.every((id) => unique.has(id));
}

/** A ticket a refund may void: a valid one, or one suspended by an open inquiry (refunds are allowed then). */
function isRefundableTicket(ticket: { status: string }): boolean {
  return ticket.status === "valid" || ticket.status === "suspended";
}
