import { receiptStatuses, type ReceiptQuery } from "@/lib/organizer/receipt-query";

/** A plain GET form: the filter lives in the URL, so it can be bookmarked, shared and exported. */
export function ReceiptFilters({ query, events }: { query: Omit<ReceiptQuery, "cursor">; events: { id: string; title: string }[] }) {
  const field = "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <form method="get" role="search" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-6">
      <label className="text-sm font-medium lg:col-span-2">
        Search
        <input name="q" type="search" defaultValue={query.q} placeholder="Receipt number, buyer email or name" className={field} />
      </label>
      <label className="text-sm font-medium">
        Event
        <select name="event" defaultValue={query.event ?? ""} className={field}>
          <option value="">All events</option>
          {events.map((e) => <option key={e.id} value={e.id}>{e.title}</option>)}
        </select>
      </label>
      <label className="text-sm font-medium">
        Status
        <select name="status" defaultValue={query.status ?? ""} className={field}>
          <option value="">Any status</option>
          {receiptStatuses.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label className="text-sm font-medium">
        From
        <input name="from" type="date" defaultValue={query.from} className={field} />
      </label>
      <label className="text-sm font-medium">
        To
        <input name="to" type="date" defaultValue={query.to} className={field} />
      </label>
      <div className="flex gap-3 lg:col-span-6">
        <button type="submit" className="rounded-lg bg-brand-700 px-4 py-1.5 text-sm font-semibold text-white hover:bg-brand-900">Search</button>
        <a href="/organizer/receipts" className="px-2 py-1.5 text-sm text-slate-600 hover:underline">Clear</a>
      </div>
    </form>
  );
}
