import "server-only";
import { and, asc, eq, gte, inArray } from "drizzle-orm";
import type { Executor } from "../client";
import { events, organizations, ticketTypes, type Event } from "../schema";
import { availableExpression } from "./availability";

export interface TicketTypeWithAvailability {
  id: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  capacity: number;
  maxPerOrder: number;
  salesStartAt: Date | null;
  salesEndAt: Date | null;
  available: number;
}

export interface PublicEvent extends Event {
  organizationName: string;
  ticketTypes: TicketTypeWithAvailability[];
}

async function withTicketTypes(
  db: Executor,
  rows: (Event & { organizationName: string })[],
  now: Date,
): Promise<PublicEvent[]> {
  if (rows.length === 0) return [];
  const types = await db
    .select({
      eventId: ticketTypes.eventId,
      id: ticketTypes.id,
      name: ticketTypes.name,
      description: ticketTypes.description,
      price: ticketTypes.price,
      currency: ticketTypes.currency,
      capacity: ticketTypes.capacity,
      maxPerOrder: ticketTypes.maxPerOrder,
      salesStartAt: ticketTypes.salesStartAt,
      salesEndAt: ticketTypes.salesEndAt,
      available: availableExpression(now),
    })
    .from(ticketTypes)
    .where(inArray(ticketTypes.eventId, rows.map((r) => r.id)))
    .orderBy(asc(ticketTypes.sortOrder), asc(ticketTypes.price), asc(ticketTypes.name));
  return rows.map((event) => ({
    ...event,
    ticketTypes: types
      .filter((t) => t.eventId === event.id)
      .map(({ eventId: _eventId, ...t }) => ({ ...t, available: Math.max(0, Number(t.available)) })),
  }));
}

const eventColumns = {
  id: events.id,
  organizationId: events.organizationId,
  slug: events.slug,
  title: events.title,
  description: events.description,
  venue: events.venue,
  startsAt: events.startsAt,
  endsAt: events.endsAt,
  timeZone: events.timeZone,
  currency: events.currency,
  status: events.status,
  createdAt: events.createdAt,
  updatedAt: events.updatedAt,
  organizationName: organizations.name,
};

/** Published events that have not ended yet, soonest first — the public catalogue. */
export async function listPublishedUpcomingEvents(db: Executor, now = new Date()): Promise<PublicEvent[]> {
  const rows = await db
    .select(eventColumns)
    .from(events)
    .innerJoin(organizations, eq(organizations.id, events.organizationId))
    .where(and(eq(events.status, "published"), gte(events.endsAt, now)))
    .orderBy(asc(events.startsAt))
    .limit(200);
  return withTicketTypes(db, rows, now);
}

/** A published event by its public slug, or by id; drafts and cancelled events are not public. */
export async function findPublishedEvent(
  db: Executor,
  by: { slug: string } | { id: string },
  now = new Date(),
): Promise<PublicEvent | undefined> {
  const match = "slug" in by ? eq(events.slug, by.slug) : eq(events.id, by.id);
  const rows = await db
    .select(eventColumns)
    .from(events)
    .innerJoin(organizations, eq(organizations.id, events.organizationId))
    .where(and(match, eq(events.status, "published")))
    .limit(1);
  return (await withTicketTypes(db, rows, now))[0];
}
