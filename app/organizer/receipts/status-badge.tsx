import type { PaymentStatus } from "@/db/schema";

const tone: Partial<Record<PaymentStatus, string>> = {
  succeeded: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  partially_refunded: "bg-amber-50 text-amber-800 ring-amber-200",
  refunded: "bg-slate-100 text-slate-700 ring-slate-300",
  failed: "bg-red-50 text-red-800 ring-red-200",
};

/** The payment's status as its code (what the API and the CSV say), so organizers see one vocabulary. */
export function StatusBadge({ status, disputed = false }: { status: PaymentStatus; disputed?: boolean }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <span data-testid="payment-status" className={`rounded px-1.5 py-0.5 font-mono text-xs ring-1 ${tone[status] ?? "bg-slate-50 text-slate-700 ring-slate-200"}`}>
        {status}
      </span>
      {disputed && <span className="rounded bg-red-50 px-1.5 py-0.5 font-mono text-xs text-red-800 ring-1 ring-red-200">disputed</span>}
    </span>
  );
}
