import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { gcWorkerThreads, serverNodeArgs } from "@/scripts/lib/next-server";

describe("the app server's node flags", () => {
  it("leaves one core to the main thread: one GC worker on two cores, Node's four from five up", () => {
    expect([1, 2, 3, 4, 5, 8, 64].map(gcWorkerThreads)).toEqual([1, 1, 2, 3, 4, 4, 4]);
    expect(serverNodeArgs({ cores: 2, nodeOptions: "" })).toEqual(["--v8-pool-size=1"]);
  });

  it("keeps a pool size the operator already set in NODE_OPTIONS (it would otherwise override theirs)", () => {
    expect(serverNodeArgs({ cores: 2, nodeOptions: "--max-old-space-size=512 --v8-pool-size=3" })).toEqual([]);
    expect(serverNodeArgs({ cores: 2, nodeOptions: "--v8-pool-size 3" })).toEqual([]);
    expect(serverNodeArgs({ cores: 2, nodeOptions: "--max-old-space-size=512" })).toEqual(["--v8-pool-size=1"]);
  });

  it("is a flag node accepts and that shrinks V8's worker pool", () => {
    const threads = (args: string[]) => {
      const child = spawnSync(
        process.execPath,
        [...args, "-e", "process.stdout.write(String(require('fs').readdirSync('/proc/self/task').length))"],
        { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
      );
      expect(child.status, child.stderr).toBe(0);
      return Number(child.stdout);
    };
    expect(threads(["--v8-pool-size=4"]) - threads(serverNodeArgs({ cores: 2, nodeOptions: "" }))).toBe(3);
  });
});
