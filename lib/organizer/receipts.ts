import "server-only";
import { getDb } from "@/db/client";
import { listReceiptsPage, type ReceiptCursor, type ReceiptFilter, type ReceiptListRow } from "@/db/queries/organizer-receipts";
import { listEventChoices } from "@/db/queries/organizer-overview";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import type { ReceiptQuery } from "./receipt-query";

export const receiptsPageSize = 50;

export function toReceiptFilter(organizationId: string, query: ReceiptQuery): ReceiptFilter {
  return {
    organizationId,
    search: query.q || undefined,
    eventId: query.event,
    status: query.status,
    from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
    // `to` is an inclusive day: everything before the next midnight.
    before: query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + 24 * 3600_000) : undefined,
  };
}

export function encodeCursor(row: Pick<ReceiptListRow, "cursorIssuedAt" | "id">): string {
  return Buffer.from(`${row.cursorIssuedAt}|${row.id}`).toString("base64url");
}

// Exactly what encodeCursor writes (the query's to_char format), and a real instant, so whatever
// passes is a timestamp Postgres reads: Date.parse alone accepts "1", February 30 and year 0.
function isCursorTime(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value) || value < "1900" || value >= "9999") return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 19) === value.slice(0, 19);
}

export function decodeCursor(cursor: string): ReceiptCursor {
  const [issuedAt, id, ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!issuedAt || !isCursorTime(issuedAt) || !isUuid(id) || rest.length > 0) {
    throw new AppError("validation_failed", "That page link is not valid; start from the first page.", { fields: { cursor: "invalid" } });
  }
  return { issuedAt, id };
}

/** One page of the organization's receipts and the cursor of the next page, if there is one. */
export async function listReceipts(organizationId: string, query: ReceiptQuery, pageSize = receiptsPageSize) {
  const db = await getDb();
  const rows = await listReceiptsPage(db, toReceiptFilter(organizationId, query), pageSize + 1, query.cursor ? decodeCursor(query.cursor) : undefined);
  const page = rows.slice(0, pageSize);
  return { rows: page, nextCursor: rows.length > pageSize ? encodeCursor(page.at(-1)!) : undefined };
}

export async function listEventChoicesOf(organizationId: string) {
  return listEventChoices(await getDb(), organizationId);
}
