import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AppError } from "@/lib/errors";
import { getPublicEventBySlug } from "@/lib/events/catalogue";
import { formatEventDate } from "@/lib/format/dates";
import type { PublicEvent } from "@/db/queries/events";
import { TicketTypeList, type TicketChoice } from "./ticket-type-list";

async function loadEvent(slug: string): Promise<PublicEvent> {
  try {
    return await getPublicEventBySlug(slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: PageProps<"/events/[slug]">): Promise<Metadata> {
  await connection();
  const event = await loadEvent((await params).slug);
  return { title: event.title, description: event.description };
}

function readChoice(query: Record<string, string | string[] | undefined>): TicketChoice {
  const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
  const quantity = Number(one(query.quantity));
  return { ticketTypeId: one(query.ticketType), quantity: Number.isInteger(quantity) && quantity > 0 ? quantity : undefined };
}

export default async function EventPage({ params, searchParams }: PageProps<"/events/[slug]">) {
  await connection();
  const event = await loadEvent((await params).slug);
  const query = await searchParams;
  return (
    <article>
      <p className="text-sm text-slate-600">{event.organizationName}</p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">{event.title}</h1>
      <dl className="mt-4 grid gap-1 text-sm sm:grid-cols-[8rem_1fr]">
        <dt className="font-medium text-slate-600">When</dt>
        <dd>
          <time dateTime={event.startsAt.toISOString()}>{formatEventDate(event.startsAt, event.timeZone)}</time>
        </dd>
        <dt className="font-medium text-slate-600">Where</dt>
        <dd>{event.venue}</dd>
      </dl>
      {event.description && <p className="mt-4 max-w-prose text-slate-800">{event.description}</p>}
      <section aria-labelledby="tickets-heading" className="mt-8">
        <h2 id="tickets-heading" className="text-xl font-semibold">
          Tickets
        </h2>
        {query.notice === "cancelled" && (
          <p role="status" className="mt-3 rounded-lg bg-slate-100 px-3 py-2 text-sm">
            Checkout cancelled — nothing was charged and your tickets were released.
          </p>
        )}
        <TicketTypeList event={event} choice={readChoice(query)} requestToken={randomUUID()} />
      </section>
    </article>
  );
}
