import { AppError } from "@/lib/errors";

/**
 * The request key an API client sent in the `Idempotency-Key` header, as Stripe takes it: absent
 * means no key; present, it must be 1 to 255 characters once trimmed. Stored with the `api:` prefix,
 * so it can never equal a key the app's own forms draw (`form:…`) in the same column.
 */
export function apiRequestKey(header: string | null): string | undefined {
  if (header === null) return undefined;
  const key = header.trim();
  if (key.length < 1 || key.length > 255) {
    throw new AppError("invalid_request", "The Idempotency-Key header must be 1 to 255 characters.");
  }
  return `api:${key}`;
}
