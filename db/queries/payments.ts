import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Executor, Transaction } from "../client";
import { eventPayments, events, organizations, ticketTypes, users, type EventPayment } from "../schema";
import { availableExpression } from "./availability";

/**
 * Locks one payment row for the rest of the transaction. Every writer that changes a payment's
 * status or amounts (fulfilment, webhooks, refunds) takes this lock first, so they serialize per
 * payment and never interleave their read-then-write.
 */
export async function lockPayment(tx: Transaction, paymentId: string) {
  const [payment] = await tx.select().from(eventPayments).where(eq(eventPayments.id, paymentId)).for("update");
  return payment;
}

/** `lockPayment` for an organizer's write: another organization's payment is simply not found. */
export async function lockPaymentOfOrganization(tx: Transaction, organizationId: string, paymentId: string) {
  const [payment] = await tx
    .select()
    .from(eventPayments)
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.organizationId, organizationId)))
    .for("update");
  return payment;
}

/** At most one payment matches: each finder below looks it up by a unique column. */
async function findPaymentWhere(db: Executor, where: SQL) {
  const [payment] = await db.select().from(eventPayments).where(where).limit(1);
  return payment;
}

export function findPaymentByPaymentIntent(db: Executor, paymentIntentId: string) {
  return findPaymentWhere(db, eq(eventPayments.stripePaymentIntentId, paymentIntentId));
}

export function findPaymentById(db: Executor, paymentId: string) {
  return findPaymentWhere(db, eq(eventPayments.id, paymentId));
}

export function findPaymentByCheckoutSession(db: Executor, checkoutSessionId: string) {
  return findPaymentWhere(db, eq(eventPayments.stripeCheckoutSessionId, checkoutSessionId));
}

/**
 * The payment locked together with everything its receipt snapshot needs, in one round trip
 * (the lock covers only the payment row). Found by its Checkout Session id — or, before the
 * purchase service stored that id, by the payment id the session carries.
 */
export async function lockPaymentForFulfilment(tx: Transaction, by: { checkoutSessionId: string } | { paymentId: string }) {
  const [row] = await tx
    .select({
      payment: eventPayments,
      organization: { id: organizations.id, name: organizations.name },
      event: {
        id: events.id,
        title: events.title,
        startsAt: events.startsAt,
        venue: events.venue,
        timeZone: events.timeZone,
        slug: events.slug,
      },
      ticketType: { id: ticketTypes.id, name: ticketTypes.name },
      buyer: { id: users.id, email: users.email, name: users.name },
    })
    .from(eventPayments)
    .innerJoin(organizations, eq(organizations.id, eventPayments.organizationId))
    .innerJoin(events, eq(events.id, eventPayments.eventId))
    .innerJoin(ticketTypes, eq(ticketTypes.id, eventPayments.ticketTypeId))
    .innerJoin(users, eq(users.id, eventPayments.userId))
    .where(
      "checkoutSessionId" in by
        ? eq(eventPayments.stripeCheckoutSessionId, by.checkoutSessionId)
        : eq(eventPayments.id, by.paymentId),
    )
    .for("update", { of: eventPayments });
  return row;
}

export type PaymentForFulfilment = NonNullable<Awaited<ReturnType<typeof lockPaymentForFulfilment>>>;

/**
 * Locks a ticket type and returns the places left at `now` (this payment's own hold no longer
 * counts once it has lapsed). Taken before the payment lock: the purchase service locks the ticket
 * type first too, so the two never wait on each other in opposite orders.
 */
export async function lockTicketTypeAvailability(tx: Transaction, ticketTypeId: string, now: Date) {
  const [locked] = await tx.select({ id: ticketTypes.id }).from(ticketTypes).where(eq(ticketTypes.id, ticketTypeId)).for("update");
  if (!locked) return 0;
  const [row] = await tx
    .select({ available: availableExpression(now) })
    .from(ticketTypes)
    .where(eq(ticketTypes.id, ticketTypeId));
  return Number(row?.available ?? 0);
}

export type PaymentUpdate = Partial<
  Pick<
    EventPayment,
    | "status"
    | "paidAt"
    | "stripePaymentIntentId"
    | "processingAt"
    | "failureReason"
    | "flaggedAt"
    | "disputedAt"
    | "disputeStatus"
  >
>;

export async function updatePayment(tx: Transaction, paymentId: string, values: PaymentUpdate) {
  await tx
    .update(eventPayments)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(eventPayments.id, paymentId));
}

/** Moves a payment that is still pending to a final state; a paid payment is never touched. */
export async function closePendingPayment(
  tx: Transaction,
  paymentId: string,
  status: "failed" | "expired",
  failureReason?: string,
) {
  const rows = await tx
    .update(eventPayments)
    .set({ status, updatedAt: new Date(), ...(failureReason ? { failureReason } : {}) })
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.status, "pending")))
    .returning({ id: eventPayments.id });
  return rows.length > 0;
}

/** Records why a card was declined while the session stays open for another try. */
export async function recordPaymentFailureReason(tx: Transaction, paymentId: string, reason: string) {
  await tx
    .update(eventPayments)
    .set({ failureReason: reason, updatedAt: new Date() })
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.status, "pending")));
}

/** A completed Checkout whose delayed method (bank debit) has not settled yet. */
export async function markPaymentProcessing(tx: Transaction, paymentId: string, paymentIntentId: string | null) {
  await tx
    .update(eventPayments)
    .set({
      processingAt: sql`coalesce(${eventPayments.processingAt}, now())`,
      ...(paymentIntentId ? { stripePaymentIntentId: paymentIntentId } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.status, "pending")));
}

/** Title and slug of a payment's event, for the buyer's pages (scoped by the payment's organization). */
export async function findEventSummary(db: Executor, organizationId: string, eventId: string) {
  const [row] = await db
    .select({ title: events.title, slug: events.slug })
    .from(events)
    .where(and(eq(events.organizationId, organizationId), eq(events.id, eventId)))
    .limit(1);
  return row;
}
