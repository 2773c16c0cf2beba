import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor, Transaction } from "../client";
import { events, organizations, ticketTypes, tickets, type TicketStatus } from "../schema";

export async function listTicketsOfPayment(db: Executor, paymentId: string) {
  return db
    .select({ id: tickets.id, code: tickets.code, status: tickets.status, issuedAt: tickets.issuedAt })
    .from(tickets)
    .where(eq(tickets.paymentId, paymentId))
    .orderBy(asc(tickets.issuedAt), asc(tickets.code));
}

/** Moves a payment's tickets from some statuses to another (disputes suspend, restore or void). */
export async function setTicketStatusOfPayment(
  tx: Transaction,
  paymentId: string,
  from: TicketStatus[],
  to: TicketStatus,
) {
  await tx
    .update(tickets)
    .set({ status: to, ...(to === "void" ? { voidedAt: new Date() } : {}) })
    .where(and(eq(tickets.paymentId, paymentId), inArray(tickets.status, from)));
}

/** The signed-in user's own tickets with their event, soonest event first ("My tickets"). */
export async function listTicketsOfOwner(db: Executor, userId: string) {
  return db
    .select({
      id: tickets.id,
      code: tickets.code,
      status: tickets.status,
      paymentId: tickets.paymentId,
      ticketType: ticketTypes.name,
      event: {
        id: events.id,
        title: events.title,
        slug: events.slug,
        startsAt: events.startsAt,
        timeZone: events.timeZone,
        venue: events.venue,
      },
      organizationName: organizations.name,
    })
    .from(tickets)
    .innerJoin(events, eq(events.id, tickets.eventId))
    .innerJoin(ticketTypes, eq(ticketTypes.id, tickets.ticketTypeId))
    .innerJoin(organizations, eq(organizations.id, tickets.organizationId))
    .where(eq(tickets.ownerUserId, userId))
    .orderBy(asc(events.startsAt), asc(events.id), asc(ticketTypes.name), asc(tickets.issuedAt), asc(tickets.code));
}

export type OwnedTicket = Awaited<ReturnType<typeof listTicketsOfOwner>>[number];
