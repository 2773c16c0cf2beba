import { describe, expect, it } from "vitest";
import { formatMoney, minorUnitDigits, toDecimalString } from "@/lib/money";

describe("money", () => {
  it("knows zero-decimal currencies", () => {
    expect(minorUnitDigits("jpy")).toBe(0);
    expect(minorUnitDigits("JPY")).toBe(0);
    expect(minorUnitDigits("eur")).toBe(2);
  });

  it("converts minor units to exact decimal strings", () => {
    expect(toDecimalString(1250, "eur")).toBe("12.50");
    expect(toDecimalString(5, "usd")).toBe("0.05");
    expect(toDecimalString(-199, "usd")).toBe("-1.99");
    expect(toDecimalString(5000, "jpy")).toBe("5000");
    expect(toDecimalString(0, "gbp")).toBe("0.00");
    expect(() => toDecimalString(1.5, "usd")).toThrow(RangeError);
  });

  it("formats for people per currency, yen without decimals", () => {
    expect(formatMoney(4500, "usd")).toBe("$45.00");
    expect(formatMoney(15000, "jpy")).toBe("¥15,000");
    expect(formatMoney(5900, "eur")).toBe("€59.00");
  });
});
