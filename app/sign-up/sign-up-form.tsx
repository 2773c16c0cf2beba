"use client";

import { useActionState } from "react";
import { signUpAction, type SignUpState } from "./actions";

const inputClass = "mt-1 w-full rounded-lg border border-slate-300 px-3 py-2";

function Field(props: {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  required?: boolean;
  hint?: string;
  state: SignUpState;
}) {
  const error = props.state.fields?.[props.name];
  const describedBy = [props.hint && `${props.name}-hint`, error && `${props.name}-error`].filter(Boolean).join(" ");
  const value = props.state.values?.[props.name as keyof NonNullable<SignUpState["values"]>];
  return (
    <div>
      <label htmlFor={props.name} className="block text-sm font-medium">{props.label}</label>
      <input id={props.name} name={props.name} type={props.type ?? "text"} autoComplete={props.autoComplete}
        required={props.required} defaultValue={props.type === "password" ? undefined : value}
        aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} className={inputClass} />
      {props.hint && <p id={`${props.name}-hint`} className="mt-1 text-xs text-slate-500">{props.hint}</p>}
      {error && <p id={`${props.name}-error`} className="mt-1 text-sm text-red-700">{error}</p>}
    </div>
  );
}

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<SignUpState, FormData>(signUpAction, {});
  return (
    <form action={action} className="mt-6 space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field name="name" label="Name" autoComplete="name" required state={state} />
      <Field name="email" label="Email" type="email" autoComplete="email" required state={state} />
      <Field name="password" label="Password" type="password" autoComplete="new-password" required hint="8 to 128 characters." state={state} />
      <Field name="organizationName" label="Organization name (optional)" autoComplete="organization"
        hint="Selling tickets? Name your organization and you become its owner." state={state} />
      {state.error && <p role="alert" className="text-sm text-red-700">{state.error}</p>}
      <button type="submit" disabled={pending}
        className="w-full rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {pending ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
