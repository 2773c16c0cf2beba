import { invalidParam } from "../wire/errors";
import type { FormObject, FormValue } from "../wire/form";
import { optionalInteger, optionalString } from "../wire/params";

export interface ListObject<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

/** Stripe's cursor pagination over a list already in answer order (`limit` 1–100, default 10). */
export function paginate<T extends { id?: string }>(items: T[], params: FormObject, url: string): ListObject<T> {
  const limit = optionalInteger(params.limit, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam("limit", "This value must be greater than or equal to 1 and less than or equal to 100.");
  const after = optionalString(params.starting_after, "starting_after");
  const before = optionalString(params.ending_before, "ending_before");
  let start = 0;
  let end = items.length;
  if (after) start = cursorIndex(items, after, "starting_after") + 1;
  if (before) {
    end = cursorIndex(items, before, "ending_before");
    start = Math.max(0, end - limit);
  }
  const data = items.slice(start, Math.min(end, start + limit));
  const hasMore = before ? start > 0 : start + limit < end;
  return { object: "list", data, has_more: hasMore, url };
}

function cursorIndex(items: { id?: string }[], id: string, param: string): number {
  const index = items.findIndex((i) => i.id === id);
  if (index < 0) throw invalidParam(param, `No such object: '${id}'`, "resource_missing");
  return index;
}

/** `created=N` or `created[gte]=…&created[lt]=…` as a predicate. */
export function readRange(value: FormValue | undefined, param: string): (n: number) => boolean {
  if (value === undefined || value === "") return () => true;
  if (typeof value === "string") {
    const exact = optionalInteger(value, param)!;
    return (n) => n === exact;
  }
  if (Array.isArray(value)) throw invalidParam(param, "Invalid range");
  const bound = (k: string) => optionalInteger(value[k], `${param}[${k}]`);
  const gt = bound("gt");
  const gte = bound("gte");
  const lt = bound("lt");
  const lte = bound("lte");
  for (const k of Object.keys(value)) if (!["gt", "gte", "lt", "lte"].includes(k)) throw invalidParam(`${param}[${k}]`, `Received unknown parameter: ${param}[${k}]`, "parameter_unknown");
  return (n) => (gt === undefined || n > gt) && (gte === undefined || n >= gte) && (lt === undefined || n < lt) && (lte === undefined || n <= lte);
}
