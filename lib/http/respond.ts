import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { parseWith } from "@/lib/validation";
import { AppError, errorBody } from "@/lib/errors";

export function json<T>(body: T, status = 200): NextResponse {
  return NextResponse.json(body, { status, headers: { "cache-control": "no-store" } });
}

export function errorResponse(error: unknown): NextResponse {
  if (error instanceof AppError) return json(errorBody(error), error.status);
  // Unknown errors are logged with their cause and answered generically: never leak internals.
  console.error("[boxoffice] unhandled error", error);
  return json({ error: { code: "internal_error", message: "Something went wrong on our side. Please try again." } }, 500);
}

/** Wraps a route handler so every thrown error becomes the project's one error shape. */
export function route<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Parses a JSON body against a schema; malformed JSON and schema failures are 400 with field messages. */
export async function parseJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError("invalid_request", "The request body must be valid JSON.");
  }
  return parseWith(schema, body);
}

