import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { eventPayments as payments, events, ticketTypes, tickets, users } from "../schema";

const paidStatuses = ["succeeded", "partially_refunded", "refunded"] as const;

/**
 * Per event of one organization: places, tickets sold (issued and not voided), and money in the
 * event's currency from paid payments. Three grouped queries instead of one join, so no row is
 * counted once per ticket type or per ticket.
 */
export async function summarizeEvents(db: Executor, organizationId: string) {
  const [eventRows, capacityRows, soldRows, moneyRows] = await Promise.all([
    db
      .select({ id: events.id, title: events.title, startsAt: events.startsAt, timeZone: events.timeZone, currency: events.currency, status: events.status })
      .from(events)
      .where(eq(events.organizationId, organizationId))
      .orderBy(asc(events.startsAt), asc(events.id)),
    db
      .select({ eventId: ticketTypes.eventId, capacity: sql<number>`sum(${ticketTypes.capacity})::int` })
      .from(ticketTypes)
      .where(eq(ticketTypes.organizationId, organizationId))
      .groupBy(ticketTypes.eventId),
    db
      .select({ eventId: tickets.eventId, sold: sql<number>`count(*)::int` })
      .from(tickets)
      .where(and(eq(tickets.organizationId, organizationId), sql`${tickets.status} <> 'void'`))
      .groupBy(tickets.eventId),
    db
      .select({
        eventId: payments.eventId,
        gross: sql<number>`coalesce(sum(${payments.amountTotal}), 0)::bigint`,
        refunded: sql<number>`coalesce(sum(${payments.amountRefunded}), 0)::bigint`,
        payments: sql<number>`count(*)::int`,
      })
      .from(payments)
      .where(and(eq(payments.organizationId, organizationId), inArray(payments.status, [...paidStatuses])))
      .groupBy(payments.eventId),
  ]);
  const capacity = new Map(capacityRows.map((r) => [r.eventId, r.capacity]));
  const sold = new Map(soldRows.map((r) => [r.eventId, r.sold]));
  const money = new Map(moneyRows.map((r) => [r.eventId, r]));
  return eventRows.map((event) => {
    const m = money.get(event.id);
    const gross = Number(m?.gross ?? 0);
    const refunded = Number(m?.refunded ?? 0);
    return {
      ...event,
      capacity: capacity.get(event.id) ?? 0,
      sold: sold.get(event.id) ?? 0,
      payments: m?.payments ?? 0,
      gross,
      refunded,
      net: gross - refunded,
    };
  });
}

export type EventSummary = Awaited<ReturnType<typeof summarizeEvents>>[number];

/** The organization's most recent payments that got past checkout, newest first. */
export async function listLatestPayments(db: Executor, organizationId: string, limit: number) {
  return db
    .select({
      id: payments.id,
      status: payments.status,
      amountTotal: payments.amountTotal,
      amountRefunded: payments.amountRefunded,
      currency: payments.currency,
      quantity: payments.quantity,
      paidAt: payments.paidAt,
      createdAt: payments.createdAt,
      eventTitle: events.title,
      buyerEmail: users.email,
    })
    .from(payments)
    .innerJoin(events, eq(events.id, payments.eventId))
    .innerJoin(users, eq(users.id, payments.userId))
    .where(and(eq(payments.organizationId, organizationId), inArray(payments.status, [...paidStatuses])))
    // created_at alone, so the (organization_id, created_at) index yields the order without a sort.
    .orderBy(desc(payments.createdAt))
    .limit(limit);
}

/** The organization's events for filter menus. */
export async function listEventChoices(db: Executor, organizationId: string) {
  return db
    .select({ id: events.id, title: events.title })
    .from(events)
    .where(eq(events.organizationId, organizationId))
    .orderBy(asc(events.startsAt), asc(events.id));
}
