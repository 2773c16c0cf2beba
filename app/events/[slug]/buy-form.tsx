"use client";

import { useActionState } from "react";
import { buyTickets, type BuyState } from "./actions";

export interface BuyFormProps {
  eventId: string;
  slug: string;
  ticketTypeId: string;
  ticketTypeName: string;
  /** Bounded by what is left and by the per-order maximum. */
  maxQuantity: number;
  defaultQuantity: number;
  /** One per page view: a double click or a resubmit of this form is the same purchase. */
  requestToken: string;
}

export function BuyForm(props: BuyFormProps) {
  const [state, action, pending] = useActionState<BuyState, FormData>(buyTickets, {});
  const selectId = `quantity-${props.ticketTypeId}`;
  const errorId = `buy-error-${props.ticketTypeId}`;
  return (
    <form action={action} className="flex flex-wrap items-center gap-2" aria-describedby={state.error ? errorId : undefined}>
      <input type="hidden" name="eventId" value={props.eventId} />
      <input type="hidden" name="slug" value={props.slug} />
      <input type="hidden" name="ticketTypeId" value={props.ticketTypeId} />
      <input type="hidden" name="requestToken" value={props.requestToken} />
      <label htmlFor={selectId} className="text-sm text-slate-600">
        Quantity
      </label>
      <select
        id={selectId}
        name="quantity"
        defaultValue={String(Math.min(props.defaultQuantity, props.maxQuantity))}
        className="rounded-lg border border-slate-300 bg-white px-2 py-1"
      >
        {Array.from({ length: props.maxQuantity }, (_, i) => (
          <option key={i + 1} value={i + 1}>
            {i + 1}
          </option>
        ))}
      </select>
      <button
        type="submit"
        disabled={pending}
        aria-label={`Buy ${props.ticketTypeName} tickets`}
        className="rounded-lg bg-brand-600 px-4 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Holding…" : "Buy"}
      </button>
      {state.error && (
        <p id={errorId} role="alert" className="basis-full text-sm text-red-700">
          {state.error}{" "}
          {state.resumeUrl && (
            <a href={state.resumeUrl} className="font-medium underline">
              Resume your checkout
            </a>
          )}
        </p>
      )}
    </form>
  );
}
