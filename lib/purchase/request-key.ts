import { AppError } from "@/lib/errors";

/**
 * Request keys live in one column per buyer, so each source gets its own prefix. The form's key
 * includes the choice: the same form resubmitted with the same choice is one purchase, while a
 * changed choice from the same page is a new one.
 */
export const purchaseRequestKey = {
  api(header: string | null): string | undefined {
    if (header === null) return undefined;
    const key = header.trim();
    if (key.length < 1 || key.length > 255) {
      throw new AppError("invalid_request", "The Idempotency-Key header must be 1 to 255 characters.");
    }
    return `api:${key}`;
  },
  form(token: string, ticketTypeId: string, quantity: number): string {
    return `form:${token}:${ticketTypeId}:${quantity}`;
  },
};
