import "server-only";
import { getDb } from "@/db/client";
import { listReceiptsPage, type ReceiptCursor, type ReceiptFilter, type ReceiptListRow } from "@/db/queries/organizer-receipts";
import { listEventChoices } from "@/db/queries/organizer-overview";
import { AppError } from "@/lib/errors";
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

export function decodeCursor(cursor: string): ReceiptCursor {
  const [issuedAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!issuedAt || !id || Number.isNaN(Date.parse(issuedAt)) || !/^[0-9a-f-]{36}$/i.test(id)) {
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
