import "server-only";
import { getDb } from "@/db/client";
import { listReceiptsPage, type ReceiptCursor, type ReceiptFilter, type ReceiptListRow } from "@/db/queries/organizer-receipts";
import { toDecimalString } from "@/lib/money";

const header = [
  "receipt_number",
  "issued_at",
  "payment_id",
  "status",
  "event",
  "buyer_email",
  "buyer_name",
  "ticket_type",
  "quantity",
  "currency",
  "amount_total",
  "amount_refunded",
  "amount_net",
];

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function receiptCsvLine(row: ReceiptListRow): string {
  const item = row.snapshot.items?.[0];
  const cells = [
    row.receiptNumber,
    row.issuedAt.toISOString(),
    row.paymentId ?? "",
    row.status,
    row.snapshot.event?.title ?? "",
    row.snapshot.buyer?.email ?? "",
    row.snapshot.buyer?.name ?? "",
    item?.ticketType ?? "",
    row.snapshot.items?.reduce((n, i) => n + i.quantity, 0) ?? 0,
    row.currency.toUpperCase(),
    toDecimalString(row.amountTotal, row.currency),
    toDecimalString(row.amountRefunded, row.currency),
    toDecimalString(row.amountTotal - row.amountRefunded, row.currency),
  ];
  return cells.map(csvCell).join(",") + "\r\n";
}

/**
 * The receipts matching a filter as CSV, produced batch by batch while the client reads: memory
 * stays at one batch whatever the number of receipts, and the keyset cursor makes each batch an
 * index range scan.
 */
export function streamReceiptsCsv(filter: ReceiptFilter, batchSize = 500): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: ReceiptCursor | undefined;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(header.join(",") + "\r\n"));
        return;
      }
      if (done) return controller.close();
      const rows = await listReceiptsPage(await getDb(), filter, batchSize, cursor);
      if (rows.length > 0) {
        controller.enqueue(encoder.encode(rows.map(receiptCsvLine).join("")));
        const last = rows.at(-1)!;
        cursor = { issuedAt: last.cursorIssuedAt, id: last.id };
      }
      if (rows.length < batchSize) {
        done = true;
        controller.close();
      }
    },
  });
}
