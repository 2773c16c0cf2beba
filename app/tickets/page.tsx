import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { requireUserOrSignIn } from "@/lib/auth/guards";
import { formatEventDate } from "@/lib/format/dates";
import { listMyTicketsByEvent } from "@/lib/tickets/my-tickets";

export const metadata: Metadata = { title: "My tickets" };

export default async function MyTicketsPage() {
  await connection();
  const user = await requireUserOrSignIn("/tickets");
  const groups = await listMyTicketsByEvent(user.id);
  return (
    <section aria-labelledby="my-tickets-heading">
      <h1 id="my-tickets-heading" className="text-2xl font-bold">My tickets</h1>
      {groups.length === 0 && (
        <p className="mt-4 text-slate-700">
          No tickets yet. <Link href="/" className="text-brand-700 underline">Find an event</Link>.
        </p>
      )}
      {groups.map(({ event, organizationName, tickets }) => (
        <article key={event.id} aria-labelledby={`event-${event.id}`} className="mt-6 rounded border border-slate-200 bg-white p-4">
          <h2 id={`event-${event.id}`} className="text-lg font-semibold">
            <Link href={`/events/${event.slug}`} className="hover:underline">{event.title}</Link>
          </h2>
          <p className="text-sm text-slate-600">
            {organizationName} · {formatEventDate(event.startsAt, event.timeZone)} · {event.venue}
          </p>
          <ul aria-label={`Tickets for ${event.title}`} className="mt-3 grid gap-2 sm:grid-cols-2">
            {tickets.map((ticket) => (
              <li key={ticket.id} className="rounded border border-slate-100 p-2 text-sm">
                <span className="font-medium">{ticket.ticketType}</span>
                <span className="ml-2 font-mono">{ticket.code}</span>
                <span className="ml-2 text-xs uppercase text-slate-600">{ticket.status}</span>
                <Link href={`/receipts/${ticket.paymentId}`} className="ml-2 text-brand-700 underline">Receipt</Link>
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}
