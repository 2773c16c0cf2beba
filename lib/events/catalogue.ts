import "server-only";
import { getDb } from "@/db/client";
import { findPublishedEvent, listPublishedUpcomingEvents, type PublicEvent } from "@/db/queries/events";
import { notFound } from "@/lib/errors";
import { isUuid, nulCharacterPath } from "@/lib/validation";


export async function listEvents(): Promise<PublicEvent[]> {
  return listPublishedUpcomingEvents(await getDb());
}

export async function getPublicEventBySlug(slug: string): Promise<PublicEvent> {
  // A slug Postgres cannot even compare (a NUL from a crafted URL) is just a slug that does not exist.
  const event = nulCharacterPath(slug) === undefined ? await findPublishedEvent(await getDb(), { slug }) : undefined;
  if (!event) throw notFound("The event");
  return event;
}

export async function getPublicEventById(id: string): Promise<PublicEvent> {
  // A malformed id is just an id that does not exist.
  const event = isUuid(id) ? await findPublishedEvent(await getDb(), { id }) : undefined;
  if (!event) throw notFound("The event");
  return event;
}

/** The lowest price on sale, for "from ¥5,000" labels. */
export function fromPrice(event: PublicEvent): { amount: number; currency: string } | undefined {
  const prices = event.ticketTypes.map((t) => t.price);
  if (prices.length === 0) return undefined;
  return { amount: Math.min(...prices), currency: event.currency };
}

/** The public JSON shape of GET /api/events and GET /api/events/{id}. */
export function toEventJson(event: PublicEvent) {
  return {
    id: event.id,
    slug: event.slug,
    title: event.title,
    description: event.description,
    venue: event.venue,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    timeZone: event.timeZone,
    currency: event.currency,
    organization: { id: event.organizationId, name: event.organizationName },
    ticketTypes: event.ticketTypes.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      price: t.price,
      currency: t.currency,
      available: t.available,
      maxPerOrder: t.maxPerOrder,
      salesStartAt: t.salesStartAt?.toISOString() ?? null,
      salesEndAt: t.salesEndAt?.toISOString() ?? null,
    })),
  };
}
