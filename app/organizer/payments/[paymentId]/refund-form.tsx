"use client";

import { useActionState, useState } from "react";
import { refundAction, type RefundFormState } from "./actions";

interface Props {
  paymentId: string;
  currency: string;
  remainingLabel: string;
  tickets: { id: string; code: string; number: number }[];
}

const reasons = [
  ["requested_by_customer", "Requested by the customer"],
  ["duplicate", "Duplicate payment"],
  ["fraudulent", "Fraudulent"],
] as const;

export function RefundForm({ paymentId, currency, remainingLabel, tickets }: Props) {
  const [state, action, pending] = useActionState<RefundFormState, FormData>(refundAction, { step: "edit" });
  const [mode, setMode] = useState<"full" | "amount" | "tickets">("full");

  if (state.step === "confirm") {
    return (
      <form action={action} className="space-y-4 rounded-lg border border-amber-300 bg-amber-50 p-4" aria-labelledby="confirm-refund">
        <input type="hidden" name="paymentId" value={paymentId} />
        <input type="hidden" name="input" value={state.input} />
        <h3 id="confirm-refund" className="font-semibold">Confirm the refund</h3>
        <p data-testid="refund-confirmation">
          Refund <strong>{state.amountLabel}</strong> to the buyer through Stripe
          {state.voids > 0 && <> and void {state.voids === 1 ? "1 ticket" : `${state.voids} tickets`}</>}? This cannot be undone.
        </p>
        <div className="flex gap-3">
          <button type="submit" name="intent" value="confirm" disabled={pending} className="rounded-lg bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60">
            {pending ? "Refunding…" : `Refund ${state.amountLabel}`}
          </button>
          <button type="submit" name="intent" value="back" disabled={pending} className="rounded-lg px-3 py-2 text-sm text-slate-700 hover:underline">
            Back
          </button>
        </div>
      </form>
    );
  }

  const field = "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <form action={action} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <input type="hidden" name="paymentId" value={paymentId} />
      {state.error && <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">{state.error}</p>}
      {state.notice && <p role="status" className="rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{state.notice}</p>}
      <p className="text-sm text-slate-600">Still refundable: <strong>{remainingLabel}</strong></p>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">What to refund</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="mode" value="full" checked={mode === "full"} onChange={() => setMode("full")} /> Everything that remains
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="mode" value="amount" checked={mode === "amount"} onChange={() => setMode("amount")} /> An amount
        </label>
        {mode === "amount" && (
          <label className="ml-6 block text-sm">
            Amount ({currency.toUpperCase()})
            <input name="amount" inputMode="decimal" required className={field} placeholder="e.g. 10.00" />
          </label>
        )}
        {tickets.length > 0 && (
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="mode" value="tickets" checked={mode === "tickets"} onChange={() => setMode("tickets")} /> Particular tickets
          </label>
        )}
        {mode === "tickets" && (
          <div className="ml-6 space-y-1">
            {tickets.map((t) => (
              <label key={t.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="ticketIds" value={t.id} /> Ticket {t.number}
                <span className="font-mono text-xs text-slate-500">{t.code.slice(0, 8)}…</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="releasePlaces" defaultChecked /> Put places back on sale
      </label>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="text-sm font-medium">
          Reason
          <select name="reason" defaultValue="requested_by_customer" className={field}>
            {reasons.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <label className="text-sm font-medium">
          Note (for your team)
          <input name="note" maxLength={500} className={field} />
        </label>
      </div>
      <button type="submit" name="intent" value="review" disabled={pending} className="rounded-lg bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-900 disabled:opacity-60">
        Review refund
      </button>
    </form>
  );
}
