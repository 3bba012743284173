// checkpoints, checkpoints reset and migrate through the real bin, on SQLite files.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { CheckpointStore, Position } from "@chronicle/core"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as Bin from "./fixtures/Bin.js"
import * as Seed from "./fixtures/Seed.js"

const dir = Bin.tempDirectory("maintain")
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
let count = 0
const fresh = (label: string) => path.join(dir, `${label}-${++count}.db`)

const ok = (outcome: Bin.Outcome) => {
  expect(outcome.status, outcome.stderr).toBe(0)
  expect(outcome.stderr).toBe("")
  return outcome
}

/** A database file the first release wrote: its checkpoint and snapshot tables predate recorded migrations. */
const releaseFixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "store-sqlite",
  "test",
  "fixtures",
  "release-528223d.sqlite"
)

describe.concurrent("chronicle checkpoints", () => {
  it("--json: each projection's checkpoint and its lag; a table otherwise", async () => {
    const db = fresh("checkpoints")
    await Seed.standard(db)
    expect(Bin.jsonLines(ok(await Bin.run(["checkpoints", "--db", db, "--json"])))).toEqual([
      { name: "balances", position: "2", lag: 4 }
    ])
    const { stdout } = ok(await Bin.run(["checkpoints", "--db", db]))
    expect(stdout.trimEnd()).toMatch(/^PROJECTION +POSITION +LAG\nbalances +2 +4$/)
  })

  it("reset moves a checkpoint from where it is, to the start or --to POS", async () => {
    const db = fresh("reset")
    await Seed.standard(db)
    const reset = ok(await Bin.run(["checkpoints", "reset", "balances", "--db", db]))
    expect(reset.stdout.trim()).toBe(
      'Checkpoint "balances" moved from 2 to 0: its projection will apply the 6 events after it (its read model is left as it is)'
    )
    expect(Bin.jsonLines(ok(await Bin.run(["checkpoints", "--db", db, "--json"])))).toEqual([
      { name: "balances", position: "0", lag: 6 }
    ])
    ok(await Bin.run(["checkpoints", "reset", "balances", "--db", db, "--to", "5"]))
    const loaded = await Seed.onFile(
      db,
      Effect.flatMap(CheckpointStore.CheckpointStore, (store) => store.load("balances"))
    )
    expect(Position.format(loaded)).toBe("5")
  })

  it("reset of an unknown projection, or to a bad position, changes nothing", async () => {
    const db = fresh("reset-bad")
    await Seed.standard(db)
    const unknown = await Bin.run(["checkpoints", "reset", "nope", "--db", db])
    expect([unknown.status, unknown.stderr]).toEqual([
      1,
      'chronicle: no checkpoint named "nope"; chronicle checkpoints lists them\n'
    ])
    const bad = await Bin.run(["checkpoints", "reset", "balances", "--db", db, "--to", "-3"])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^chronicle: --to "-3" is not a position: .*; see chronicle checkpoints reset --help\n$/)
    expect(Bin.jsonLines(ok(await Bin.run(["checkpoints", "--db", db, "--json"])))[0]).toMatchObject({ position: "2" })
  })

  it("a database without a checkpoint table has none (and gets no table)", async () => {
    const db = fresh("no-checkpoints")
    await Bin.run(["migrate", "--db", db])
    const { stdout } = ok(await Bin.run(["checkpoints", "--db", db]))
    expect(stdout.trim()).toBe("no checkpoints")
  })
})

describe.concurrent("chronicle migrate", () => {
  it("--dry-run lists every pending migration and creates nothing; migrate applies them once", async () => {
    const db = fresh("migrate")
    const dry = ok(await Bin.run(["migrate", "--db", db, "--dry-run", "--json"]))
    expect(Bin.jsonLines(dry)).toEqual([
      { kind: "events", table: "chronicle_events", migration: "1_create_events", status: "pending" },
      { kind: "events", table: "chronicle_events", migration: "2_index_chosen_ids_only", status: "pending" },
      { kind: "checkpoints", table: "chronicle_checkpoints", migration: "1_create_checkpoints", status: "pending" },
      { kind: "checkpoints", table: "chronicle_checkpoints", migration: "2_positions_as_text", status: "pending" },
      { kind: "snapshots", table: "chronicle_snapshots", migration: "1_create_snapshots", status: "pending" }
    ])
    expect(fs.existsSync(db)).toBe(false)
    const applied = ok(await Bin.run(["migrate", "--db", db]))
    expect(applied.stdout).toMatch(/^TABLE +MIGRATION +STATUS$/m)
    expect(applied.stdout).toMatch(/^chronicle_events +1_create_events +applied now$/m)
    expect(applied.stdout.trim().split("\n").at(-1)).toBe("Applied 5 migrations.")
    const again = ok(await Bin.run(["migrate", "--db", db]))
    expect(again.stdout).toMatch(/^chronicle_snapshots +1_create_snapshots +applied$/m)
    expect(again.stdout.trim().split("\n").at(-1)).toBe("Nothing to migrate.")
  })

  it("a database that needs migrations is refused by the other commands until migrated", async () => {
    const db = fresh("release")
    fs.copyFileSync(releaseFixture, db)
    const refused = await Bin.run(["stats", "--db", db])
    expect(refused.status).toBe(1)
    expect(refused.stderr).toBe(
      `chronicle: ${db} needs migrations (events: 2_index_chosen_ids_only; checkpoints: 1_create_checkpoints, 2_positions_as_text; snapshots: 1_create_snapshots); run: chronicle migrate --db ${db}\n`
    )
    const dry = ok(await Bin.run(["migrate", "--db", db, "--dry-run"]))
    expect(dry.stdout.trim().split("\n").at(-1)).toBe(
      "4 pending migrations; run chronicle migrate without --dry-run to apply them."
    )
    ok(await Bin.run(["migrate", "--db", db]))
    const [stats] = Bin.jsonLines(ok(await Bin.run(["stats", "--db", db, "--json"])))
    expect(stats!.events).toBeGreaterThan(0)
    expect(Bin.jsonLines(ok(await Bin.run(["checkpoints", "--db", db, "--json"]))).length).toBeGreaterThan(0)
  })
})
