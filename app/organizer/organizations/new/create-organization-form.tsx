"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/auth/action-errors";
import { createOrganizationAction } from "../actions";

export function CreateOrganizationForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(createOrganizationAction, {});
  const fieldError = state.fields?.name;
  return (
    <form action={action} className="mt-6 space-y-4">
      <div>
        <label htmlFor="name" className="block text-sm font-medium">Organization name</label>
        <input id="name" name="name" required autoComplete="organization" aria-invalid={fieldError ? true : undefined}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2" />
        {fieldError && <p className="mt-1 text-sm text-red-700">{fieldError}</p>}
      </div>
      {state.error && !fieldError && <p role="alert" className="text-sm text-red-700">{state.error}</p>}
      <button type="submit" disabled={pending}
        className="rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {pending ? "Creating…" : "Create organization"}
      </button>
    </form>
  );
}
