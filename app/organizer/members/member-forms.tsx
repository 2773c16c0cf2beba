"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/auth/action-errors";
import { addMemberAction, changeRoleAction, removeMemberAction } from "./actions";

function Message({ state }: { state: FormState }) {
  if (state.error) return <p role="alert" className="mt-1 text-sm text-red-700">{state.error}</p>;
  if (state.success) return <p role="status" className="mt-1 text-sm text-green-700">{state.success}</p>;
  return null;
}

export function AddMemberForm({ organizationId }: { organizationId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(addMemberAction, {});
  return (
    <form action={action} className="mt-8 max-w-md space-y-3 rounded-xl border border-slate-200 bg-white p-5">
      <h2 className="text-lg font-semibold">Add a member</h2>
      <input type="hidden" name="organizationId" value={organizationId} />
      <div>
        <label htmlFor="member-email" className="block text-sm font-medium">Member email</label>
        <input id="member-email" name="email" type="email" required className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2" />
        {state.fields?.email && <p className="mt-1 text-sm text-red-700">{state.fields.email}</p>}
      </div>
      <div>
        <label htmlFor="member-role" className="block text-sm font-medium">Role</label>
        <select id="member-role" name="role" defaultValue="staff" className="mt-1 w-full rounded-lg border border-slate-300 bg-white px-3 py-2">
          <option value="staff">Staff — can view</option>
          <option value="admin">Admin — can change things and refund</option>
        </select>
      </div>
      <button type="submit" disabled={pending} className="rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        Add member
      </button>
      <Message state={state} />
    </form>
  );
}

export function MemberControls(props: { organizationId: string; userId: string; email: string; role: string }) {
  const [roleState, changeRole, changing] = useActionState<FormState, FormData>(changeRoleAction, {});
  const [removeState, remove, removing] = useActionState<FormState, FormData>(removeMemberAction, {});
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <form action={changeRole} className="flex items-center gap-2">
          <input type="hidden" name="organizationId" value={props.organizationId} />
          <input type="hidden" name="userId" value={props.userId} />
          <label className="sr-only" htmlFor={`role-${props.userId}`}>Role of {props.email}</label>
          <select id={`role-${props.userId}`} name="role" defaultValue={props.role} className="rounded-lg border border-slate-300 bg-white px-2 py-1">
            <option value="owner">Owner</option>
            <option value="admin">Admin</option>
            <option value="staff">Staff</option>
          </select>
          <button type="submit" disabled={changing} className="rounded-lg border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50">
            Change role
          </button>
        </form>
        <form action={remove}>
          <input type="hidden" name="organizationId" value={props.organizationId} />
          <input type="hidden" name="userId" value={props.userId} />
          <button type="submit" disabled={removing} className="rounded-lg border border-red-200 px-3 py-1 font-medium text-red-700 hover:bg-red-50">
            Remove
          </button>
        </form>
      </div>
      <Message state={roleState} />
      <Message state={removeState} />
    </div>
  );
}
