// GET /organizer/receipts/export?q=&event=&status=&from=&to= – the receipts of the current filter as CSV, streamed
import type { NextRequest } from "next/server";
import { requireOrganizerContext } from "@/lib/auth/organization-context";
import { route } from "@/lib/http/respond";
import { parseWith } from "@/lib/validation";
import { receiptQueryInput, receiptQuerySchema } from "@/lib/organizer/receipt-query";
import { toReceiptFilter } from "@/lib/organizer/receipts";
import { streamReceiptsCsv } from "@/lib/organizer/receipts-csv";

export async function GET(request: NextRequest) {
  // Outside route(): a signed-out visitor is redirected to sign-in, which route() would turn into a 500.
  const context = await requireOrganizerContext(`/organizer/receipts${request.nextUrl.search}`);
  return route(async () => {
    const { cursor: _ignored, ...query } = parseWith(receiptQuerySchema, receiptQueryInput(request.nextUrl.searchParams));
    const day = new Date().toISOString().slice(0, 10);
    return new Response(streamReceiptsCsv(toReceiptFilter(context.organizationId, query)), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="receipts-${day}.csv"`,
        "cache-control": "no-store",
      },
    });
  })();
}
