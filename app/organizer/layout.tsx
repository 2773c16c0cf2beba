import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requireUserOrSignIn } from "@/lib/auth/guards";
import { currentOrganizerPath, findOrganizerContext } from "@/lib/auth/organization-context";
import { OrganizerNav } from "./_components/organizer-nav";
import { OrganizationSwitcher } from "./_components/organization-switcher";

const newOrganizationPath = "/organizer/organizations/new";

/**
 * The guard of the whole organizer area: signed out → sign-in (back here afterwards); signed in
 * without any membership → not found, except for creating a first organization.
 */
export default async function OrganizerLayout({ children }: { children: ReactNode }) {
  const path = await currentOrganizerPath();
  const user = await requireUserOrSignIn(path);
  const context = await findOrganizerContext(user);
  if (!context) {
    if (path === newOrganizationPath || path.startsWith(`${newOrganizationPath}?`)) return children;
    notFound();
  }
  return (
    <div className="grid gap-8 md:grid-cols-[14rem_1fr]">
      <aside className="no-print space-y-6">
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Organization</p>
          <p data-testid="current-organization" className="mt-1 text-lg font-semibold">{context.organizationName}</p>
          <p className="text-sm text-slate-600">You are {context.role === "owner" ? "an owner" : `${context.role === "admin" ? "an admin" : "staff"}`}.</p>
        </div>
        <OrganizerNav />
        <OrganizationSwitcher current={context.organizationId} memberships={context.memberships} />
      </aside>
      <div className="min-w-0">{children}</div>
    </div>
  );
}
