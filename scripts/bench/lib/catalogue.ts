import { randomUUID } from "node:crypto";
import type { Database } from "@/db/client";
import { events, organizations, ticketTypes } from "@/db/schema";

/** One organization with `count` published events, each with one ticket type of `capacity` places. */
export async function seedEvents(db: Database, count: number, ticket: { capacity: number; price?: number; currency?: string; maxPerOrder?: number }) {
  const id = randomUUID().slice(0, 8);
  const [organization] = await db.insert(organizations).values({ name: `Bench ${id}`, slug: `bench-${id}` }).returning();
  const startsAt = new Date(Date.now() + 30 * 24 * 3600_000);
  const currency = ticket.currency ?? "eur";
  const rows = await db
    .insert(events)
    .values(
      Array.from({ length: count }, (_, i) => ({
        organizationId: organization!.id,
        slug: `bench-${id}-${i}`,
        title: `Bench Event ${i}`,
        venue: "Bench Hall",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3 * 3600_000),
        timeZone: "Europe/Berlin",
        currency,
        status: "published" as const,
      })),
    )
    .returning({ id: events.id, organizationId: events.organizationId });
  const types = await db
    .insert(ticketTypes)
    .values(
      rows.map((e) => ({
        eventId: e.id,
        organizationId: e.organizationId,
        name: "General Admission",
        price: ticket.price ?? 2500,
        currency,
        capacity: ticket.capacity,
        maxPerOrder: ticket.maxPerOrder ?? 10,
      })),
    )
    .returning({ id: ticketTypes.id, eventId: ticketTypes.eventId });
  return types.map((t) => ({ eventId: t.eventId, ticketTypeId: t.id }));
}
