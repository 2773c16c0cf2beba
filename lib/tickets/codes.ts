import { randomBytes } from "node:crypto";

/**
 * A ticket's code is what a door scanner reads: 128 random bits, URL-safe, so nobody can guess
 * another ticket from their own. A payment's codes come from one read of the random source.
 */
export function generateTicketCodes(count: number): string[] {
  const bytes = randomBytes(16 * count);
  return Array.from({ length: count }, (_, i) => bytes.subarray(16 * i, 16 * (i + 1)).toString("base64url"));
}
