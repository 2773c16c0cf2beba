import type { PublicEvent, TicketTypeWithAvailability } from "@/db/queries/events";
import { formatEventDate } from "@/lib/format/dates";
import { Money } from "@/app/_components/money";
import { BuyForm } from "./buy-form";

/** What the buyer chose before signing in or cancelling a checkout, to fill the form in again. */
export interface TicketChoice {
  ticketTypeId?: string;
  quantity?: number;
}

/** Few enough left that buyers should know; "only 3 left" is a fact, not a sales trick. */
const lowStock = 10;

export function saleState(t: TicketTypeWithAvailability, now = new Date()) {
  if (t.salesStartAt && t.salesStartAt > now) return { kind: "not_yet" as const, at: t.salesStartAt };
  if (t.salesEndAt && t.salesEndAt <= now) return { kind: "ended" as const };
  if (t.available <= 0) return { kind: "sold_out" as const };
  return { kind: "on_sale" as const };
}

export function TicketTypeList({
  event,
  choice = {},
  requestToken,
}: {
  event: PublicEvent;
  choice?: TicketChoice;
  requestToken: string;
}) {
  if (event.ticketTypes.length === 0) return <p className="mt-3 text-slate-600">Tickets are not on sale yet.</p>;
  return (
    <ul className="mt-3 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
      {event.ticketTypes.map((t) => {
        const state = saleState(t);
        return (
          <li key={t.id} className="flex flex-wrap items-center gap-x-6 gap-y-2 p-4" aria-label={t.name}>
            <div className="min-w-48 flex-1">
              <h3 className="font-semibold">{t.name}</h3>
              {t.description && <p className="text-sm text-slate-600">{t.description}</p>}
            </div>
            <p className="font-medium">
              <Money amount={t.price} currency={t.currency} />
            </p>
            <p className="w-48 text-sm">
              {state.kind === "not_yet" && <>On sale from {formatEventDate(state.at, event.timeZone)}</>}
              {state.kind === "ended" && <>Sales have ended</>}
              {state.kind === "sold_out" && <strong className="text-red-700">Sold out</strong>}
              {state.kind === "on_sale" &&
                (t.available <= lowStock ? (
                  <strong className="text-amber-800">Only {t.available} left</strong>
                ) : (
                  <>{t.available} available</>
                ))}
            </p>
            {state.kind === "on_sale" && (
              <BuyForm
                eventId={event.id}
                slug={event.slug}
                ticketTypeId={t.id}
                ticketTypeName={t.name}
                maxQuantity={Math.min(t.available, t.maxPerOrder)}
                defaultQuantity={choice.ticketTypeId === t.id && choice.quantity ? choice.quantity : 1}
                requestToken={requestToken}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
