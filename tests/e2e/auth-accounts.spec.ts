import { expect, test, type Page } from "@playwright/test";
import { demo, signIn, signInApi } from "./support/auth";

const freshEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@e2e.example`;

async function signUp(page: Page, fields: { name: string; email: string; password: string; organizationName?: string }) {
  await page.goto("/sign-up");
  await page.getByLabel("Name", { exact: true }).fill(fields.name);
  await page.getByLabel("Email").fill(fields.email);
  await page.getByLabel("Password").fill(fields.password);
  if (fields.organizationName) await page.getByLabel("Organization name (optional)").fill(fields.organizationName);
  await page.getByRole("button", { name: "Create account" }).click();
}

test("a new attendee signs up, signs out and signs in again", async ({ page }) => {
  const email = freshEmail("ann");
  await signUp(page, { name: "Ann Attendee", email: email.toUpperCase(), password: "a long enough password" });
  await expect(page.getByTestId("signed-in-as")).toContainText(email);
  const main = page.getByRole("navigation", { name: "Main" });
  await expect(main.getByRole("link", { name: "My tickets" })).toBeVisible();
  await expect(main.getByRole("link", { name: "Organizer" })).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toHaveText(
    "That email and password do not match an account.",
  );

  await signIn(page, email, "a long enough password");
  await expect(page.getByTestId("signed-in-as")).toContainText(email);
});

test("sign-up explains what is wrong with each field, and refuses a taken email in any letter case", async ({ page }) => {
  await signUp(page, { name: "Short", email: "not-an-email", password: "short" });
  await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters for your password.")).toBeVisible();
  await signUp(page, { name: "Copy", email: demo.attendee.toUpperCase(), password: "a long enough password" });
  await expect(page.getByText("An account with this email already exists.")).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});

test("a signed-out visitor to the organizer area signs in and comes back to the page", async ({ page }) => {
  await page.goto("/organizer/members");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Forganizer%2Fmembers$/);
  await page.getByLabel("Email").fill(demo.northwind);
  await page.getByLabel("Password").fill("boxoffice-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/organizer\/members$/);
  await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
});

test("an attendee who opens the organizer area gets the not-found page", async ({ page }) => {
  await signIn(page, demo.attendee);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organizer" })).toHaveCount(0);
  for (const path of ["/organizer", "/organizer/members"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});

for (const [who, email, mine, theirs] of [
  ["Northwind", demo.northwind, "Northwind Live", "Contoso Concerts"],
  ["Contoso", demo.contoso, "Contoso Concerts", "Northwind Live"],
] as const) {
  test(`the ${who} organizer sees only their own organization`, async ({ page }) => {
    await signIn(page, email);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organizer" }).click();
    await expect(page.getByTestId("current-organization")).toHaveText(mine);
    // The overview lists this organization's events only; nothing of the other organization shows.
    await expect(page.getByRole("heading", { name: "Sales by event" })).toBeVisible();
    await expect(page.getByText(theirs)).toHaveCount(0);
    await page.getByRole("navigation", { name: "Organizer" }).getByRole("link", { name: "Members" }).click();
    await expect(page.getByRole("row", { name: email })).toContainText("owner");
    const other = email === demo.northwind ? demo.contoso : demo.northwind;
    await expect(page.getByRole("row", { name: other })).toHaveCount(0);
    await expect(page.getByText(theirs)).toHaveCount(0);
  });
}

test("an organizer signs up with an organization, adds a member and cannot remove its last owner", async ({ page, browser }) => {
  const helper = freshEmail("helper");
  const helperContext = await browser.newContext();
  await signUp(await helperContext.newPage(), { name: "Hal Helper", email: helper, password: "a long enough password" });
  await helperContext.close();

  const owner = freshEmail("owner");
  const organizationName = `Fresh Events ${Date.now().toString(36)}`;
  await signUp(page, { name: "Olga Owner", email: owner, password: "a long enough password", organizationName });
  await expect(page).toHaveURL(/\/organizer$/);
  await expect(page.getByTestId("current-organization")).toHaveText(organizationName);

  await page.getByRole("navigation", { name: "Organizer" }).getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Member email").fill(helper.toUpperCase());
  await page.getByLabel("Role", { exact: true }).selectOption("staff");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status")).toHaveText(`Added ${helper} as staff.`);
  await expect(page.getByRole("row", { name: helper })).toContainText("staff");

  await page.getByRole("row", { name: owner }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByRole("row", { name: owner }).getByRole("alert")).toHaveText(
    "An organization always keeps an owner. Make someone else an owner first.",
  );
  await expect(page.getByRole("row", { name: owner })).toContainText("owner");
});

test("an API client signs up and signs in with the Auth.js credentials flow", async ({ request }) => {
  const email = freshEmail("api");
  const created = await request.post("/api/auth/sign-up", { data: { email, password: "a long enough password", name: "Api" } });
  expect(created.status()).toBe(201);
  expect(await created.json()).toEqual({ id: expect.any(String), email });
  const again = await request.post("/api/auth/sign-up", { data: { email: email.toUpperCase(), password: "another password", name: "Api" } });
  expect(again.status()).toBe(409);
  await signInApi(request, email, "a long enough password");
});

test("an organizer of two organizations switches between them", async ({ page }) => {
  const suffix = Date.now().toString(36);
  await signUp(page, { name: "Two Hats", email: freshEmail("two-hats"), password: "a long enough password", organizationName: `First Stage ${suffix}` });
  await expect(page.getByTestId("current-organization")).toHaveText(`First Stage ${suffix}`);

  await page.getByRole("link", { name: "New organization" }).click();
  await page.getByLabel("Organization name").fill(`Second Stage ${suffix}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/organizer$/);
  await expect(page.getByTestId("current-organization")).toHaveText(`Second Stage ${suffix}`);

  await page.getByLabel("Switch organization").selectOption({ label: `First Stage ${suffix}` });
  await page.getByRole("button", { name: "Switch" }).click();
  await expect(page.getByTestId("current-organization")).toHaveText(`First Stage ${suffix}`);
  await page.getByRole("navigation", { name: "Organizer" }).getByRole("link", { name: "Members" }).click();
  await expect(page.getByTestId("current-organization")).toHaveText(`First Stage ${suffix}`);
});

test("a signed-in attendee may create a first organization and becomes its owner", async ({ page }) => {
  const email = freshEmail("starter");
  await signUp(page, { name: "Starter", email, password: "a long enough password" });
  await expect(page.getByTestId("signed-in-as")).toContainText(email);
  await page.goto("/organizer/organizations/new");
  await page.getByLabel("Organization name").fill("x");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByText("Use at least 2 characters for the organization's name.")).toBeVisible();
  await page.getByLabel("Organization name").fill(`Starter Shows ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/organizer$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organizer" })).toBeVisible();
});
