import { z } from "zod";
import { paymentStatus } from "@/db/schema/payments";

/** Payment states a receipt can be in (a receipt exists only once a payment succeeded). */
export const receiptStatuses = ["succeeded", "partially_refunded", "refunded"] as const satisfies readonly (typeof paymentStatus.enumValues)[number][];

// Bounded so that the day, and the day after it (`to` is inclusive), are timestamps Postgres can
// read: JavaScript dates reach year 0 and past 9999, Postgres's do not.
const day = z.iso
  .date("must be a date like 2026-12-31")
  .refine((value) => value >= "1900-01-01" && value <= "9998-12-31", "must be a date between 1900 and 9998");
const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/**
 * The receipts page's URL query (also the CSV export's): `q` searches receipt number, buyer email or
 * name; `event`, `status`, `from`/`to` (inclusive UTC days) filter; `cursor` continues a listing.
 */
export const receiptQuerySchema = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(200).optional()),
  event: z.preprocess(emptyToUndefined, z.uuid("must be an event id").optional()),
  status: z.preprocess(emptyToUndefined, z.enum(receiptStatuses).optional()),
  from: z.preprocess(emptyToUndefined, day.optional()),
  to: z.preprocess(emptyToUndefined, day.optional()),
  cursor: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
});

export type ReceiptQuery = z.infer<typeof receiptQuerySchema>;

/** Reads a URLSearchParams or Next's searchParams object (first value of repeated keys). */
export function receiptQueryInput(params: URLSearchParams | Record<string, string | string[] | undefined>) {
  const get = (key: string) => {
    if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  return Object.fromEntries(["q", "event", "status", "from", "to", "cursor"].map((k) => [k, get(k)]));
}

/** The query string for a filter (used by links: next page, export). */
export function receiptQueryString(query: Partial<ReceiptQuery>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}
