import Link from "next/link";
import type { MembershipOfUser } from "@/db/queries/memberships";
import { switchOrganizationAction } from "../organizations/actions";

export function OrganizationSwitcher({ current, memberships }: { current: string; memberships: MembershipOfUser[] }) {
  return (
    <div className="space-y-2 text-sm">
      {memberships.length > 1 && (
        <form action={switchOrganizationAction} className="space-y-2">
          <label htmlFor="organization-switch" className="block font-medium">Switch organization</label>
          <select id="organization-switch" name="organizationId" defaultValue={current}
            className="w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5">
            {memberships.map((m) => (
              <option key={m.organizationId} value={m.organizationId}>{m.organizationName}</option>
            ))}
          </select>
          <button type="submit" className="rounded-lg border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50">Switch</button>
        </form>
      )}
      <Link href="/organizer/organizations/new" className="inline-block font-medium text-brand-700 hover:underline">
        New organization
      </Link>
    </div>
  );
}
