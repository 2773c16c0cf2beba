import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDirLock, LockHeldError } from "@/db/dir-lock";

describe("data folder lock", () => {
  it("refuses a folder held by another live process, naming it", () => {
    const lock = path.join(mkdtempSync(path.join(tmpdir(), "lock-")), "pglite.lock");
    // A live process other than us: our parent.
    writeFileSync(lock, String(process.ppid));
    expect(() => acquireDirLock(lock, "the embedded database")).toThrowError(LockHeldError);
    expect(() => acquireDirLock(lock, "the embedded database")).toThrowError(`in use by process ${process.ppid}`);
  });

  it("takes over a lock left by a process that no longer exists, and releases it", () => {
    const lock = path.join(mkdtempSync(path.join(tmpdir(), "lock-")), "pglite.lock");
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" }).stdout.trim();
    writeFileSync(lock, dead);
    const release = acquireDirLock(lock, "the embedded database");
    release();
    expect(existsSync(lock)).toBe(false);
  });
});
