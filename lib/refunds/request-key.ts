import { randomBytes } from "node:crypto";
import { apiRequestKey } from "@/lib/http/idempotency-key";

/**
 * Refund request keys share one column per payment, so each source gets its own prefix: a key an
 * API client chose can never match one the confirm step drew.
 */
export const refundRequestKey = {
  api: apiRequestKey,
  form(token: string): string {
    return `form:${token}`;
  },
  /** The review step's one-time token: each review is one refund, however often it is confirmed. */
  drawToken(): string {
    return randomBytes(18).toString("base64url");
  },
};
