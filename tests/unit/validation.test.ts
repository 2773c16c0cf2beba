import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { check, nulCharacterPath, parseWith } from "@/lib/validation";

describe("input validation", () => {
  it("finds a NUL character anywhere in the input and names its field", () => {
    expect(nulCharacterPath({ a: "fine", b: ["x", { c: "bad\u0000" }] })).toBe("b.1.c");
    expect(nulCharacterPath("\u0000")).toBe("");
    expect(nulCharacterPath({ a: "fine", n: 1, d: null, list: ["ok"] })).toBeUndefined();
    // The six characters of the escape, as text, are not a NUL.
    expect(nulCharacterPath({ a: "\\u0000" })).toBeUndefined();
  });

  it("refuses a NUL character like any other invalid field, even where the schema would accept it", () => {
    const schema = z.object({ name: z.string() });
    expect(check(schema, { name: "Ann\u0000" })).toEqual({ ok: false, fields: { name: "must not contain the NUL character" } });
    expect(check(schema, { name: "Ann" })).toEqual({ ok: true, data: { name: "Ann" } });
    const error = (() => {
      try {
        parseWith(schema, { name: "Ann\u0000" });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "validation_failed", status: 400, message: "Invalid request — name: must not contain the NUL character" });
  });
});
