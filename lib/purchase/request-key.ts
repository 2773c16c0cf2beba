import { apiRequestKey } from "@/lib/http/idempotency-key";

/**
 * Request keys live in one column per buyer, so each source gets its own prefix. The form's key
 * includes the choice: the same form resubmitted with the same choice is one purchase, while a
 * changed choice from the same page is a new one.
 */
export const purchaseRequestKey = {
  api: apiRequestKey,
  form(token: string, ticketTypeId: string, quantity: number): string {
    return `form:${token}:${ticketTypeId}:${quantity}`;
  },
};
