import { randomBytes } from "node:crypto";

/**
 * A ticket's code is what a door scanner reads: 128 random bits, URL-safe, so nobody can guess
 * another ticket from their own.
 */
export function generateTicketCode(): string {
  return randomBytes(16).toString("base64url");
}
