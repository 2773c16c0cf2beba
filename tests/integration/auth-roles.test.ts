import { describe, expect, it } from "vitest";
import { addMember, changeMemberRole, listMembers, removeMember } from "@/lib/organizations/members";
import { addMember as addMembership, createUser } from "../factories";
import { createTwoTenants, expectAppError, snapshotOrganization } from "./tenancy-helpers";

describe("roles inside one organization", () => {
  it("lets staff and admins view members but not add, re-role or remove them", async () => {
    const { a } = await createTwoTenants();
    const org = a.organization.id;
    const newcomer = await createUser();
    for (const actor of [a.staff, a.admin]) {
      expect((await listMembers({ userId: actor.id }, org)).map((m) => m.userId).sort()).toEqual(
        [a.owner.id, a.admin.id, a.staff.id].sort(),
      );
      const before = await snapshotOrganization(org);
      await expectAppError(addMember({ userId: actor.id }, org, { email: newcomer.email, role: "staff" }), "forbidden");
      await expectAppError(changeMemberRole({ userId: actor.id }, org, { userId: actor.id, role: "owner" }), "forbidden");
      await expectAppError(removeMember({ userId: actor.id }, org, a.owner.id), "forbidden");
      expect(await snapshotOrganization(org)).toEqual(before);
    }
  });

  it("lets the owner add an existing account by email (any letter case) as admin or staff", async () => {
    const { a } = await createTwoTenants();
    const newcomer = await createUser();
    const added = await addMember({ userId: a.owner.id }, a.organization.id, { email: ` ${newcomer.email.toUpperCase()} `, role: "admin" });
    expect(added).toEqual({ userId: newcomer.id, email: newcomer.email, role: "admin" });
    await expectAppError(addMember({ userId: a.owner.id }, a.organization.id, { email: newcomer.email, role: "staff" }), "conflict");
    await expectAppError(
      addMember({ userId: a.owner.id }, a.organization.id, { email: `nobody-${crypto.randomUUID()}@test.example`, role: "staff" }),
      "validation_failed",
    );
    await expectAppError(addMember({ userId: a.owner.id }, a.organization.id, { email: newcomer.email, role: "owner" }), "validation_failed");
  });

  it("never removes or demotes the last owner", async () => {
    const { a } = await createTwoTenants();
    const org = a.organization.id;
    const owner = { userId: a.owner.id };
    await expectAppError(removeMember(owner, org, a.owner.id), "last_owner");
    await expectAppError(changeMemberRole(owner, org, { userId: a.owner.id, role: "admin" }), "last_owner");
    expect((await listMembers(owner, org)).find((m) => m.userId === a.owner.id)?.role).toBe("owner");

    // With a second owner, the first may step down, and then the second is the last one.
    await changeMemberRole(owner, org, { userId: a.admin.id, role: "owner" });
    await changeMemberRole(owner, org, { userId: a.owner.id, role: "staff" });
    const second = { userId: a.admin.id };
    await expectAppError(removeMember(second, org, a.admin.id), "last_owner");
    await removeMember(second, org, a.owner.id);
    expect((await listMembers(second, org)).map((m) => [m.userId, m.role])).toEqual(
      expect.arrayContaining([[a.admin.id, "owner"], [a.staff.id, "staff"]]),
    );
  });

  it("keeps an owner when two owners demote each other at the same time", async () => {
    const { a } = await createTwoTenants();
    const org = a.organization.id;
    await addMembership(org, (await createUser()).id, "staff");
    await changeMemberRole({ userId: a.owner.id }, org, { userId: a.admin.id, role: "owner" });
    const results = await Promise.allSettled([
      changeMemberRole({ userId: a.owner.id }, org, { userId: a.admin.id, role: "staff" }),
      changeMemberRole({ userId: a.admin.id }, org, { userId: a.owner.id, role: "staff" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const owners = (await snapshotOrganization(org)).memberships.filter((m) => m.role === "owner");
    expect(owners).toHaveLength(1);
  });

  it("rejects an unknown role", async () => {
    const { a } = await createTwoTenants();
    await expectAppError(changeMemberRole({ userId: a.owner.id }, a.organization.id, { userId: a.staff.id, role: "superuser" }), "validation_failed");
  });
});
