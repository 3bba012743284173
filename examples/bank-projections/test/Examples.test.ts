import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"

const run = promisify(execFile)
const packageDir = path.join(import.meta.dirname, "..")

/** Runs an example program twice on a fresh database file; returns both outputs. */
const twice = (program: string, env: Record<string, string> = {}) =>
  Effect.acquireUseRelease(
    Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-example-"))),
    (dir) =>
      Effect.promise(async () => {
        const args = [
          "--import",
          "tsx",
          "--conditions=@chronicle/source",
          `src/${program}.ts`,
          "--db",
          path.join(dir, "x.db")
        ]
        const options = { cwd: packageDir, env: { ...process.env, ...env } }
        const first = await run(process.execPath, args, options)
        const second = await run(process.execPath, args, options)
        return [first.stdout, second.stdout] as const
      }),
    (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
  )

describe("example programs", () => {
  it.live(
    "rebuild seeds once, rebuilds with progress and matches a replay",
    () =>
      Effect.gen(function* () {
        const [first, second] = yield* twice("rebuild")
        assert.include(first, "Seeded 10000 events")
        assert.include(first, "10000 events replayed, at position 10000 of 10000")
        assert.include(first, "The table equals an in-memory replay")
        assert.include(second, "Events were seeded by an earlier run")
        assert.include(second, "(0 new events)")
        assert.include(second, "The table equals an in-memory replay")
      }),
    120_000
  )

  it.live(
    "snapshots loads the same state from far fewer events",
    () =>
      Effect.gen(function* () {
        const [first, second] = yield* twice("snapshots", { CHRONICLE_EXAMPLE_TRANSACTIONS: "1000" })
        assert.include(first, "Recording 1000 transactions")
        assert.match(first, /Full replay: +version 1001, .*, 1001 events read/)
        assert.match(first, /Snapshot \+ tail: +version 1001, .*, 1 events read/)
        assert.include(first, "Both loads give the same state.")
        assert.match(second, /Snapshot \+ tail: +version 1038, .*, 38 events read/)
      }),
    120_000
  )

  it.live(
    "time travel shows past states by version and by time",
    () =>
      Effect.gen(function* () {
        const [first, second] = yield* twice("time-travel")
        for (const out of [first, second]) {
          assert.include(out, "at version 0: not opened yet (version 0)")
          assert.include(out, "at version 2: Active, balance $1,000.00 (version 2)")
          assert.match(out, /\(before it existed\): not opened yet/)
          assert.match(out, /\(between two events\): Active, balance \$750\.00 \(version 3\)/)
        }
        assert.include(second, "total held $1,600.00")
      }),
    120_000
  )
})
