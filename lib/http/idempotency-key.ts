import { AppError } from "@/lib/errors";

/**
 * The `Idempotency-Key` header, as Stripe takes it: absent means no key; present, it must be 1 to
 * 255 characters once trimmed. Callers prefix it by source before storing it.
 */
export function readIdempotencyKey(header: string | null): string | undefined {
  if (header === null) return undefined;
  const key = header.trim();
  if (key.length < 1 || key.length > 255) {
    throw new AppError("invalid_request", "The Idempotency-Key header must be 1 to 255 characters.");
  }
  return key;
}
