import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

describe("proxy for the organizer area", () => {
  it("sends a visitor without a session cookie to sign-in, coming back to the page asked for", () => {
    const response = proxy(new NextRequest("http://localhost:3000/organizer/members?tab=all"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("http://localhost:3000/sign-in?callbackUrl=%2Forganizer%2Fmembers%3Ftab%3Dall");
  });

  it("lets a request with a session cookie through and tells the layout which path it renders", () => {
    for (const cookie of ["authjs.session-token=x", "__Secure-authjs.session-token=x", "authjs.session-token.0=x"]) {
      const response = proxy(new NextRequest("http://localhost:3000/organizer/receipts", { headers: { cookie } }));
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("x-middleware-request-x-boxoffice-pathname")).toBe("/organizer/receipts");
    }
  });
});
