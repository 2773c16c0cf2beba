import type { Metadata } from "next";
import { requireOrganizerContext } from "@/lib/auth/organization-context";
import { listMembers } from "@/lib/organizations/members";
import { AddMemberForm, MemberControls } from "./member-forms";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const context = await requireOrganizerContext("/organizer/members");
  const members = await listMembers({ userId: context.user.id }, context.organizationId);
  const isOwner = context.role === "owner";
  return (
    <>
      <h1 className="text-2xl font-bold">Members</h1>
      <p className="mt-2 text-slate-600">
        Owners manage members and roles. Admins change things and refund; staff can look.
      </p>
      <table className="mt-6 w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Member</th>
            <th scope="col" className="py-2 pr-4 font-medium">Role</th>
            {isOwner && <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId} aria-label={member.email} className="border-b border-slate-100 align-top">
              <td className="py-3 pr-4">
                <div className="font-medium">{member.name ?? member.email}</div>
                <div className="text-slate-600">{member.email}</div>
              </td>
              <td className="py-3 pr-4 capitalize">{member.role}</td>
              {isOwner && (
                <td className="py-3">
                  <MemberControls organizationId={context.organizationId} userId={member.userId} email={member.email} role={member.role} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {isOwner && <AddMemberForm organizationId={context.organizationId} />}
    </>
  );
}
