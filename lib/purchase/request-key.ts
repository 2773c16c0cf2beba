import { readIdempotencyKey } from "@/lib/http/idempotency-key";

/**
 * Request keys live in one column per buyer, so each source gets its own prefix. The form's key
 * includes the choice: the same form resubmitted with the same choice is one purchase, while a
 * changed choice from the same page is a new one.
 */
export const purchaseRequestKey = {
  api(header: string | null): string | undefined {
    const key = readIdempotencyKey(header);
    return key === undefined ? undefined : `api:${key}`;
  },
  form(token: string, ticketTypeId: string, quantity: number): string {
    return `form:${token}:${ticketTypeId}:${quantity}`;
  },
};
