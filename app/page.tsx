import Link from "next/link";
import { connection } from "next/server";
import { fromPrice, listEvents } from "@/lib/events/catalogue";
import { formatEventDate } from "@/lib/format/dates";
import { Money } from "./_components/money";

export default async function HomePage() {
  await connection(); // read at request time, never baked into the build
  const events = await listEvents();
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Upcoming events</h1>
      {events.length === 0 ? (
        <p className="mt-6 text-slate-600">No events are on sale right now. Check back soon.</p>
      ) : (
        <ul className="mt-6 grid gap-4 sm:grid-cols-2">
          {events.map((event) => {
            const from = fromPrice(event);
            return (
              <li key={event.id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <p className="text-sm text-slate-600">{event.organizationName}</p>
                <h2 className="mt-1 text-xl font-semibold">
                  <Link href={`/events/${event.slug}`} className="hover:underline">
                    {event.title}
                  </Link>
                </h2>
                <p className="mt-2 text-sm">
                  <time dateTime={event.startsAt.toISOString()}>{formatEventDate(event.startsAt, event.timeZone)}</time>
                </p>
                <p className="text-sm text-slate-700">{event.venue}</p>
                {from && (
                  <p className="mt-3 text-sm font-medium">
                    From <Money amount={from.amount} currency={from.currency} />
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
