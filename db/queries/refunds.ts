import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../client";
import { eventPayments, refunds, tickets, type RefundStatus } from "../schema";

export async function findRefundByStripeId(db: Executor, stripeRefundId: string) {
  const [row] = await db.select().from(refunds).where(eq(refunds.stripeRefundId, stripeRefundId)).limit(1);
  return row;
}

/** A refund row of one payment by our own id (the id we put in the Stripe refund's metadata). */
export async function findRefundOfPayment(db: Executor, paymentId: string, refundId: string) {
  const [row] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.id, refundId), eq(refunds.paymentId, paymentId)))
    .limit(1);
  return row;
}

/** The refund a request with this key already made on this payment (unique per payment). */
export async function findRefundByRequestKey(db: Executor, paymentId: string, requestKey: string) {
  const [row] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.requestKey, requestKey)))
    .limit(1);
  return row;
}

export async function listRefundsOfPayment(db: Executor, paymentId: string) {
  return db.select().from(refunds).where(eq(refunds.paymentId, paymentId)).orderBy(asc(refunds.createdAt), asc(refunds.id));
}

/**
 * Money of one payment by refund state: `succeeded` is what Stripe confirmed; `pending` is what is
 * on its way and must already count against what is left to refund.
 */
export async function summarizeRefunds(db: Executor, paymentId: string) {
  const [row] = await db
    .select({
      succeeded: sql<number>`coalesce(sum(${refunds.amount}) filter (where ${refunds.status} = 'succeeded'), 0)::int`,
      pending: sql<number>`coalesce(sum(${refunds.amount}) filter (where ${refunds.status} in ('pending', 'requires_action')), 0)::int`,
      count: sql<number>`count(*)::int`,
      maxSequence: sql<number>`coalesce(max(${refunds.sequence}), 0)::int`,
    })
    .from(refunds)
    .where(eq(refunds.paymentId, paymentId));
  return row!;
}

export type NewRefund = typeof refunds.$inferInsert;

export async function insertRefund(tx: Transaction, values: NewRefund) {
  const [row] = await tx.insert(refunds).values(values).returning();
  return row!;
}

export async function updateRefund(
  tx: Transaction,
  refundId: string,
  values: Partial<Pick<NewRefund, "stripeRefundId" | "status" | "failureReason" | "reason">>,
) {
  const [row] = await tx
    .update(refunds)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(refunds.id, refundId))
    .returning();
  return row!;
}

/**
 * Voids the given tickets of one payment. Their places stay taken: they go back on sale only when
 * Stripe confirms the refund (`releaseTicketPlaces`), so a refund that fails can always give them back.
 */
export async function voidTickets(tx: Transaction, paymentId: string, ticketIds: string[]) {
  if (ticketIds.length === 0) return;
  await tx
    .update(tickets)
    .set({ status: "void", voidedAt: sql`coalesce(${tickets.voidedAt}, now())` })
    .where(and(eq(tickets.paymentId, paymentId), inArray(tickets.id, ticketIds), sql`${tickets.status} <> 'void'`));
}

/** Puts the places of voided tickets back on sale (a refund Stripe confirmed). */
export async function releaseTicketPlaces(tx: Transaction, paymentId: string, ticketIds: string[]) {
  if (ticketIds.length === 0) return;
  await tx
    .update(tickets)
    .set({ placeReleased: true })
    .where(and(eq(tickets.paymentId, paymentId), inArray(tickets.id, ticketIds), eq(tickets.status, "void")));
}

/**
 * Undoes `voidTickets` for a refund that has just failed: the buyer keeps the tickets they paid
 * for, back as `to` (suspended while the payment is disputed). Only its tickets that are still void
 * because of it come back — not those another standing refund (pending or succeeded) also lists.
 * Tickets whose places were released may have been sold again, so they come back only when all of
 * them fit in `placesLeft` (counted under the ticket type's lock) — never oversell. Returns how
 * many stayed void.
 */
export async function restoreTicketsOfRefund(
  tx: Transaction,
  refund: { id: string; paymentId: string; ticketIds: string[] },
  placesLeft: number,
  to: "valid" | "suspended",
) {
  if (refund.ticketIds.length === 0) return 0;
  const voided = await tx
    .select({ id: tickets.id, placeReleased: tickets.placeReleased })
    .from(tickets)
    .where(
      and(
        eq(tickets.paymentId, refund.paymentId),
        inArray(tickets.id, refund.ticketIds),
        eq(tickets.status, "void"),
        sql`not exists (select 1 from ${refunds} where ${refunds.paymentId} = ${refund.paymentId} and ${refunds.id} <> ${refund.id}
          and ${refunds.status} in ('pending', 'requires_action', 'succeeded') and ${tickets.id} = any(${refunds.ticketIds}))`,
      ),
    );
  const released = voided.filter((t) => t.placeReleased).length;
  const back = released <= placesLeft ? voided : voided.filter((t) => !t.placeReleased);
  if (back.length > 0) {
    await tx
      .update(tickets)
      .set({ status: to, placeReleased: false, voidedAt: null })
      .where(inArray(tickets.id, back.map((t) => t.id)));
  }
  return voided.length - back.length;
}

export async function setPaymentRefundTotals(
  tx: Transaction,
  paymentId: string,
  amountRefunded: number,
  status: "succeeded" | "partially_refunded" | "refunded",
) {
  await tx
    .update(eventPayments)
    .set({ amountRefunded, status, updatedAt: new Date() })
    .where(eq(eventPayments.id, paymentId));
}

/**
 * Statuses only move forward in this order. The one exception (see `applyStripeRefund`): a failure
 * we decided ourselves, without Stripe's word, gives way to a refund Stripe says it made.
 */
export const refundStatusRank: Record<RefundStatus, number> = {
  pending: 0,
  requires_action: 0,
  succeeded: 1,
  failed: 2,
  canceled: 2,
};

/** The tickets of one payment (for choosing which ones a refund covers). */
export async function listTicketsOfPayment(db: Executor, paymentId: string) {
  return db
    .select({ id: tickets.id, status: tickets.status })
    .from(tickets)
    .where(eq(tickets.paymentId, paymentId))
    .orderBy(asc(tickets.issuedAt), asc(tickets.id));
}

/** A refund row of one organization by id; undefined for any other organization's refund. */
export async function findRefundOfOrganization(db: Executor, organizationId: string, paymentId: string, refundId: string) {
  const [row] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.id, refundId), eq(refunds.paymentId, paymentId), eq(refunds.organizationId, organizationId)))
    .limit(1);
  return row;
}
