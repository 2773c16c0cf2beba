import type { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Input checks shared by every domain. They depend on nothing but zod and AppError, so services
 * can validate without importing the HTTP layer.
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids from outside (URLs, form fields, Stripe metadata) are checked before they reach a uuid
 * column: a malformed id is just an id that does not exist, never a SQL error (a 500).
 */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && uuidPattern.test(value);
}

/** Parses `input` with `schema`, or throws a 400 AppError naming each field that is wrong. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[issue.path.join(".") || "body"] ??= issue.message;
  const summary = Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  throw new AppError("validation_failed", `Invalid request — ${summary}`, { fields });
}
