import { beforeAll, describe, expect, it } from "vitest";
import { GET as getEvent } from "@/app/api/events/[eventId]/route";
import { organizationToSwitchTo } from "@/lib/organizations/switch";
import { addMember, changeMemberRole, listMembers, removeMember } from "@/lib/organizations/members";
import { createUser } from "../factories";
import { createTwoTenants, expectNotFound, expectNotFoundAndUnchanged, type TwoTenants } from "./tenancy-helpers";

// Sealed tenants: a member of organization A asking for B's records gets exactly the answer a
// missing record gets (404), and nothing in B changes.
let t: TwoTenants;
beforeAll(async () => {
  t = await createTwoTenants();
});

const missingId = "00000000-0000-4000-8000-000000000000";

describe("members management across tenants", () => {
  it("does not list another organization's members, for any role of A", async () => {
    for (const actor of [t.a.owner, t.a.admin, t.a.staff, t.attendee]) {
      await expectNotFound(listMembers({ userId: actor.id }, t.b.organization.id));
    }
    await expectNotFound(listMembers({ userId: t.a.owner.id }, missingId));
    await expectNotFound(listMembers({ userId: t.a.owner.id }, "not-a-uuid"));
  });

  it("refuses A's owner adding, re-roling or removing members of B, changing nothing", async () => {
    const newcomer = await createUser();
    const actor = { userId: t.a.owner.id };
    const b = t.b.organization.id;
    await expectNotFoundAndUnchanged(b, () => addMember(actor, b, { email: newcomer.email, role: "admin" }));
    await expectNotFoundAndUnchanged(b, () => changeMemberRole(actor, b, { userId: t.b.staff.id, role: "owner" }));
    await expectNotFoundAndUnchanged(b, () => changeMemberRole(actor, b, { userId: t.b.owner.id, role: "staff" }));
    await expectNotFoundAndUnchanged(b, () => removeMember(actor, b, t.b.owner.id));
    await expectNotFoundAndUnchanged(b, () => removeMember(actor, b, t.b.staff.id));
  });

  it("treats B's members as missing when A's owner names them in A", async () => {
    const actor = { userId: t.a.owner.id };
    const a = t.a.organization.id;
    for (const organizationId of [a, t.b.organization.id]) {
      await expectNotFoundAndUnchanged(organizationId, () => changeMemberRole(actor, a, { userId: t.b.staff.id, role: "admin" }));
      await expectNotFoundAndUnchanged(organizationId, () => removeMember(actor, a, t.b.staff.id));
      await expectNotFoundAndUnchanged(organizationId, () => removeMember(actor, a, "no-such-user"));
    }
  });

  it("answers an attendee (no membership) with 404 for every members action", async () => {
    const actor = { userId: t.attendee.id };
    const a = t.a.organization.id;
    await expectNotFoundAndUnchanged(a, () => addMember(actor, a, { email: t.attendee.email, role: "admin" }));
    await expectNotFoundAndUnchanged(a, () => changeMemberRole(actor, a, { userId: t.a.staff.id, role: "owner" }));
    await expectNotFoundAndUnchanged(a, () => removeMember(actor, a, t.a.owner.id));
  });
});

describe("switching organization", () => {
  it("switches to an organization the user belongs to, and answers 404 for any other", async () => {
    expect(await organizationToSwitchTo({ userId: t.a.staff.id }, t.a.organization.id)).toEqual({
      organizationId: t.a.organization.id,
      organizationName: t.a.organization.name,
    });
    await expectNotFound(organizationToSwitchTo({ userId: t.a.owner.id }, t.b.organization.id));
    await expectNotFound(organizationToSwitchTo({ userId: t.attendee.id }, t.a.organization.id));
    await expectNotFound(organizationToSwitchTo({ userId: t.a.owner.id }, missingId));
  });
});

describe("event API", () => {
  const get = (eventId: string) =>
    getEvent(new Request(`http://localhost:3999/api/events/${eventId}`), { params: Promise.resolve({ eventId }) });

  it("answers a draft event of either organization exactly like a missing one", async () => {
    const missing = await get(missingId);
    expect(missing.status).toBe(404);
    const missingBody = await missing.json();
    for (const draft of [t.a.draftEvent, t.b.draftEvent]) {
      const response = await get(draft.id);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(missingBody);
    }
    expect((await get(t.b.event.id)).status).toBe(200);
  });
});
