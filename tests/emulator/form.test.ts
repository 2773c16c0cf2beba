import { describe, expect, it } from "vitest";
import { canonicalParams, parseForm } from "@/scripts/stripe-emulator/wire/form";

describe("bracketed form bodies", () => {
  it("nests objects and turns indexed keys into arrays, as stripe-node writes them", () => {
    const body =
      "mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1999" +
      "&line_items[0][price_data][product_data][name]=Gig%20%26%20more&line_items[0][quantity]=2" +
      "&line_items[1][quantity]=1&metadata[paymentId]=p1&expand[0]=payment_intent&expand[1]=line_items";
    expect(parseForm(body)).toEqual({
      mode: "payment",
      line_items: [{ price_data: { currency: "eur", unit_amount: "1999", product_data: { name: "Gig & more" } }, quantity: "2" }, { quantity: "1" }],
      metadata: { paymentId: "p1" },
      expand: ["payment_intent", "line_items"],
    });
  });

  it("accepts curl's empty brackets and percent-encoded brackets", () => {
    expect(parseForm("expand[]=a&expand[]=b")).toEqual({ expand: ["a", "b"] });
    expect(parseForm("created%5Bgte%5D=5")).toEqual({ created: { gte: "5" } });
  });

  it("decodes as URLSearchParams does, malformed escapes and lone surrogates included", () => {
    expect(parseForm("?a=1&&b=x+y%2B&c")).toEqual({ a: "1", b: "x y+", c: "" });
    expect(parseForm("a=%zz&b=%E2%82%AC&c=%E2%82")).toEqual({ a: "%zz", b: "€", c: "\ufffd" });
    expect(parseForm("name=café%20€&x=\ud800")).toEqual({ name: "café €", x: "\ufffd" });
    expect(parseForm("a[b]x[c]=1&a[[d]]=2&e[=3")).toEqual({ a: { b: { c: "1" }, "[d": "2" }, e: "3" });
  });

  it("refuses keys that would write onto Object.prototype, and leaves it untouched", () => {
    for (const body of ["__proto__[polluted]=1", "metadata[constructor][prototype][polluted]=1", "a[__proto__][polluted]=1"]) {
      expect(() => parseForm(body)).toThrow(/unknown parameter/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("compares parameters regardless of key order", () => {
    expect(canonicalParams(parseForm("a=1&b[x]=2&b[y]=3"))).toBe(canonicalParams(parseForm("b[y]=3&a=1&b[x]=2")));
  });
});
