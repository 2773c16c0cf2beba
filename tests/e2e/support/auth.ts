import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const demoPassword = "boxoffice-demo";
export const demo = {
  northwind: "organizer@northwind.example",
  contoso: "organizer@contoso.example",
  attendee: "attendee@example.com",
} as const;

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, email: string, password = demoPassword, callbackUrl = "/") {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(email);
}

/**
 * Signs an API client in with the standard Auth.js credentials flow (CSRF token, then the
 * credentials callback); the session cookie stays in `request` for later calls.
 */
export async function signInApi(request: APIRequestContext, email: string, password = demoPassword) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, callbackUrl: "/" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } } | null;
  expect(session?.user?.email).toBe(email);
}
