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

/**
 * Where in `input` a string holds the NUL character, as a field path ("" for the input itself), or
 * undefined. Postgres text cannot store NUL, so such input would fail inside a query as a 500;
 * no field of ours has a use for it, so it is refused up front like any other invalid field.
 */
export function nulCharacterPath(input: unknown, path = ""): string | undefined {
  if (typeof input === "string") return input.includes("\u0000") ? path : undefined;
  if (input === null || typeof input !== "object") return undefined;
  for (const [key, value] of Object.entries(input)) {
    const found = nulCharacterPath(value, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

export type Checked<T> = { ok: true; data: T } | { ok: false; fields: Record<string, string> };

/** Checks `input` against `schema` (and for NUL characters): the data, or a message per wrong field. */
export function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.infer<S>> {
  const nulAt = nulCharacterPath(input);
  if (nulAt !== undefined) return { ok: false, fields: { [nulAt || "body"]: "must not contain the NUL character" } };
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[issue.path.join(".") || "body"] ??= issue.message;
  return { ok: false, fields };
}

/** Parses `input` with `schema`, or throws a 400 AppError naming each field that is wrong. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const checked = check(schema, input);
  if (checked.ok) return checked.data;
  const summary = Object.entries(checked.fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  throw new AppError("validation_failed", `Invalid request — ${summary}`, { fields: checked.fields });
}
