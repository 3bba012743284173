// checkpoints, checkpoints reset and migrate through the real bin, on every store (a SQLite file, a PostgreSQL
// database), and migrate on a file of the first release.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { CheckpointStore, Position } from "@chronicle/core"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as Bin from "./fixtures/Bin.js"
import * as Seed from "./fixtures/Seed.js"
import * as Stores from "./fixtures/Stores.js"

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

for (const kind of Stores.kinds) {
  describe.concurrent(`chronicle checkpoints on ${kind.name}`, () => {
    it("--json: each projection's checkpoint and its lag; a table otherwise", async () => {
      const target = await kind.fresh("checkpoints")
      const positions = await Seed.standard(target)
      const at = Position.format(positions[1]!)
      expect(Bin.jsonLines(ok(await Bin.run(["checkpoints", ...target.args, "--json"])))).toEqual([
        { name: "balances", position: at, lag: 4 }
      ])
      const { stdout } = ok(await Bin.run(["checkpoints", ...target.args]))
      expect(stdout.trimEnd()).toMatch(new RegExp(`^PROJECTION +POSITION +LAG\nbalances +${at} +4$`))
    })

    it("reset moves a checkpoint from where it is, to the start or --to POS", async () => {
      const target = await kind.fresh("reset")
      const positions = await Seed.standard(target)
      const reset = ok(await Bin.run(["checkpoints", "reset", "balances", ...target.args]))
      expect(reset.stdout.trim()).toBe(
        `Checkpoint "balances" moved from ${Position.format(positions[1]!)} to 0: its projection will apply the 6 events after it (its read model is left as it is)`
      )
      expect(Bin.jsonLines(ok(await Bin.run(["checkpoints", ...target.args, "--json"])))).toEqual([
        { name: "balances", position: "0", lag: 6 }
      ])
      const to = Position.format(positions[4]!)
      ok(await Bin.run(["checkpoints", "reset", "balances", ...target.args, "--to", to]))
      const loaded = await target.run(
        Effect.flatMap(CheckpointStore.CheckpointStore, (store) => store.load("balances"))
      )
      expect(Position.format(loaded)).toBe(to)
      expect(Bin.jsonLines(ok(await Bin.run(["checkpoints", ...target.args, "--json"])))).toEqual([
        { name: "balances", position: to, lag: 1 }
      ])
    })

    it("reset of an unknown projection, or to a bad position, changes nothing", async () => {
      const target = await kind.fresh("reset_bad")
      const positions = await Seed.standard(target)
      const unknown = await Bin.run(["checkpoints", "reset", "nope", ...target.args])
      expect([unknown.status, unknown.stderr]).toEqual([
        1,
        'chronicle: no checkpoint named "nope"; chronicle checkpoints lists them\n'
      ])
      const bad = await Bin.run(["checkpoints", "reset", "balances", ...target.args, "--to", "-3"])
      expect(bad.status).toBe(2)
      expect(bad.stderr).toMatch(
        /^chronicle: --to "-3" is not a position: .*; see chronicle checkpoints reset --help\n$/
      )
      expect(Bin.jsonLines(ok(await Bin.run(["checkpoints", ...target.args, "--json"])))[0]).toMatchObject({
        position: Position.format(positions[1]!)
      })
    })

    it("a database without a checkpoint table has none (and gets no table)", async () => {
      const target = await kind.fresh("no_checkpoints")
      ok(await Bin.run(["import", "-", ...target.args], { stdin: "" }))
      const { stdout } = ok(await Bin.run(["checkpoints", ...target.args]))
      expect(stdout.trim()).toBe("no checkpoints")
      const dry = Bin.jsonLines(ok(await Bin.run(["migrate", ...target.args, "--dry-run", "--json"])))
      expect(dry.filter((m) => m.kind === "checkpoints").map((m) => m.status)).toEqual(
        kind.migrations.filter((m) => m.startsWith("chronicle_checkpoints/")).map(() => "pending")
      )
    })
  })

  describe.concurrent(`chronicle migrate on ${kind.name}`, () => {
    it("--dry-run lists every pending migration and creates nothing; migrate applies them once", async () => {
      const target = await kind.fresh("migrate")
      const pending = kind.migrations.map((m) => {
        const [table, migration] = m.split("/")
        return { kind: table!.replace("chronicle_", ""), table, migration, status: "pending" }
      })
      const dry = ok(await Bin.run(["migrate", ...target.args, "--dry-run", "--json"]))
      expect(Bin.jsonLines(dry)).toEqual(pending)
      expect(Bin.jsonLines(ok(await Bin.run(["migrate", ...target.args, "--dry-run", "--json"])))).toEqual(pending)
      if (kind.name === "SQLite") expect(fs.existsSync(target.args[1]!)).toBe(false)
      const refused = await Bin.run(["stats", ...target.args])
      expect(refused.status).toBe(1)
      const applied = ok(await Bin.run(["migrate", ...target.args]))
      expect(applied.stdout).toMatch(/^TABLE +MIGRATION +STATUS$/m)
      expect(applied.stdout).toMatch(/^chronicle_events +1_create_events +applied now$/m)
      expect(applied.stdout.trim().split("\n").at(-1)).toBe(`Applied ${kind.migrations.length} migrations.`)
      const again = ok(await Bin.run(["migrate", ...target.args, "--json"]))
      expect(Bin.jsonLines(again)).toEqual(pending.map((m) => ({ ...m, status: "applied" })))
      expect(
        ok(await Bin.run(["migrate", ...target.args]))
          .stdout.trim()
          .split("\n")
          .at(-1)
      ).toBe("Nothing to migrate.")
      const [stats] = Bin.jsonLines(ok(await Bin.run(["stats", ...target.args, "--json"])))
      expect(stats).toMatchObject({ events: 0, streams: 0 })
    })
  })
}

describe.concurrent("chronicle migrate on SQLite files of earlier releases", () => {
  it("a database that needs migrations is refused by the other commands until migrated", async () => {
    const db = fresh("release")
    fs.copyFileSync(releaseFixture, db)
    const refused = await Bin.run(["stats", "--db", db])
    expect(refused.status).toBe(1)
    expect(refused.stderr).toBe(
      `chronicle: ${db} needs migrations (events: 2_index_chosen_ids_only, 3_tags, 4_types_indexed_in_runs; checkpoints: 1_create_checkpoints, 2_positions_as_text; snapshots: 1_create_snapshots); run: chronicle migrate --db ${db}\n`
    )
    const dry = ok(await Bin.run(["migrate", "--db", db, "--dry-run"]))
    expect(dry.stdout.trim().split("\n").at(-1)).toBe(
      "6 pending migrations; run chronicle migrate without --dry-run to apply them."
    )
    ok(await Bin.run(["migrate", "--db", db]))
    const [stats] = Bin.jsonLines(ok(await Bin.run(["stats", "--db", db, "--json"])))
    expect(stats!.events).toBeGreaterThan(0)
    expect(Bin.jsonLines(ok(await Bin.run(["checkpoints", "--db", db, "--json"]))).length).toBeGreaterThan(0)
  })
})
