import "server-only";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";

/** Server action result for forms: a message (and field messages) to show, or nothing on success. */
export interface FormState {
  error?: string;
  success?: string;
  fields?: Record<string, string>;
}

/**
 * Maps a service error to form state. A not-found (another tenant's id, or one that does not
 * exist) becomes the not-found page, the same answer either way; unknown errors propagate.
 */
export function toFormState(error: unknown): FormState {
  if (!(error instanceof AppError)) throw error;
  if (error.code === "not_found") notFound();
  return { error: error.message, fields: error.details?.fields as Record<string, string> | undefined };
}
