import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"

describe("@chronicle/testkit", () => {
  it("loads and checks in a plain node process, outside any test runner", () => {
    const output = execFileSync(
      process.execPath,
      [
        "--conditions=@chronicle/source",
        "--import",
        "tsx",
        fileURLToPath(new URL("fixtures/runnerFree.ts", import.meta.url))
      ],
      { cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8" }
    )
    assert.strictEqual(output.trim(), "ok")
  }, 30_000)
})
