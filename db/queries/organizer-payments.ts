import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { eventPaymentReceipts, eventPayments, events, refunds, stripeEvents, ticketTypes, tickets, users } from "../schema";

/** One payment of one organization with its event, ticket type, buyer and receipt; undefined for any other organization's id. */
export async function findOrganizationPayment(db: Executor, organizationId: string, paymentId: string) {
  const [row] = await db
    .select({
      payment: eventPayments,
      event: { id: events.id, title: events.title, startsAt: events.startsAt, timeZone: events.timeZone },
      ticketType: { id: ticketTypes.id, name: ticketTypes.name },
      buyer: { id: users.id, email: users.email, name: users.name },
      receipt: { id: eventPaymentReceipts.id, receiptNumber: eventPaymentReceipts.receiptNumber, issuedAt: eventPaymentReceipts.issuedAt },
    })
    .from(eventPayments)
    .innerJoin(events, eq(events.id, eventPayments.eventId))
    .innerJoin(ticketTypes, eq(ticketTypes.id, eventPayments.ticketTypeId))
    .innerJoin(users, eq(users.id, eventPayments.userId))
    .leftJoin(eventPaymentReceipts, eq(eventPaymentReceipts.paymentId, eventPayments.id))
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.organizationId, organizationId)))
    .limit(1);
  return row;
}

export async function listPaymentTickets(db: Executor, organizationId: string, paymentId: string) {
  return db
    .select({ id: tickets.id, code: tickets.code, status: tickets.status, placeReleased: tickets.placeReleased, voidedAt: tickets.voidedAt })
    .from(tickets)
    .where(and(eq(tickets.paymentId, paymentId), eq(tickets.organizationId, organizationId)))
    .orderBy(asc(tickets.issuedAt), asc(tickets.id));
}

/** Refunds with the name of the member who made them (none for external ones). */
export async function listPaymentRefunds(db: Executor, organizationId: string, paymentId: string) {
  return db
    .select({ refund: refunds, createdBy: { email: users.email, name: users.name } })
    .from(refunds)
    .leftJoin(users, eq(users.id, refunds.createdByUserId))
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.organizationId, organizationId)))
    .orderBy(asc(refunds.createdAt), asc(refunds.id));
}

/** The Stripe events linked to a payment, in the order Stripe created them. */
export async function listPaymentStripeEvents(db: Executor, organizationId: string, paymentId: string) {
  return db
    .select({
      id: stripeEvents.id,
      type: stripeEvents.type,
      stripeCreatedAt: stripeEvents.stripeCreatedAt,
      receivedAt: stripeEvents.receivedAt,
      processedAt: stripeEvents.processedAt,
    })
    .from(stripeEvents)
    // stripe_events has no organization column: the join through the payment keeps it sealed.
    .innerJoin(eventPayments, eq(eventPayments.id, stripeEvents.paymentId))
    .where(and(eq(stripeEvents.paymentId, paymentId), eq(eventPayments.organizationId, organizationId)))
    .orderBy(asc(stripeEvents.stripeCreatedAt), asc(stripeEvents.receivedAt), asc(stripeEvents.id));
}

/** Which organization a payment belongs to — only to decide whom to ask for membership (the answer never leaves the server). */
export async function findPaymentOrganizationId(db: Executor, paymentId: string) {
  const [row] = await db
    .select({ organizationId: eventPayments.organizationId })
    .from(eventPayments)
    .where(eq(eventPayments.id, paymentId))
    .limit(1);
  return row?.organizationId;
}

export async function findPaymentOfOrganization(db: Executor, organizationId: string, paymentId: string) {
  const [row] = await db
    .select()
    .from(eventPayments)
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.organizationId, organizationId)))
    .limit(1);
  return row;
}
