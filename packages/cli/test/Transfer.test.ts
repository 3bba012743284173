// export and import through the real bin: lossless round trips between stores (SQLite into every store of the table,
// and SQLite → PostgreSQL → SQLite), a second import writing nothing, stdin and stdout, --after, conflicts that stop
// an import with what it committed kept whole (on every store), and bad input.
import * as fs from "node:fs"
import * as path from "node:path"
import { EventStore, StoreAdmin } from "@chronicle/core"
import { Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Bin from "./fixtures/Bin.js"
import * as Seed from "./fixtures/Seed.js"
import * as Stores from "./fixtures/Stores.js"

const dir = Bin.tempDirectory("transfer")
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
let count = 0
const fresh = (label: string) => path.join(dir, `${label}-${++count}`)

const ok = (outcome: Bin.Outcome) => {
  expect(outcome.status, outcome.stderr).toBe(0)
  return outcome
}

/** The source database: the standard events, and 2,500 more (three import chunks, streams interleaved). */
const source = path.join(dir, "source.db")
beforeAll(async () => {
  await Seed.standard(Stores.sqliteFile(source))
  await Seed.many(Stores.sqliteFile(source), 2_500)
})

describe.concurrent("chronicle export and import", () => {
  for (const kind of Stores.kinds) {
    it(`SQLite → ${kind.name} → export: identical byte for byte; a second import writes nothing`, async () => {
      const first = `${fresh("first")}.ndjson`
      const exported = ok(await Bin.run(["export", "--db", source, "--out", first]))
      expect(exported.stdout).toBe("")
      expect(exported.stderr).toMatch(
        /^Exported 2,506 events to .*first-\d+\.ndjson in [\d.]+ s \([\d,]+ events\/s\)\n$/
      )
      const lines = fs.readFileSync(first, "utf8").split("\n")
      expect(lines.length).toBe(2_507)
      expect(lines.at(-1)).toBe("")
      expect(Object.keys(JSON.parse(lines[0]!))).toEqual([...Bin.exportFields])

      const copy = await kind.fresh("copy")
      const store = copy.args
      const imported = ok(await Bin.run(["import", first, ...store, "--json"]))
      expect(Bin.jsonLines(imported)).toEqual([{ read: 2_506, written: 2_506, skipped: 0 }])
      await Stores.visible(copy, 2_506)
      const again = ok(await Bin.run(["import", first, ...store]))
      expect(again.stdout).toMatch(/: 2,506 events read, 0 written, 2,506 already present, in /)

      const second = `${fresh("second")}.ndjson`
      ok(await Bin.run(["export", ...store, "--out", second]))
      expect(fs.readFileSync(second, "utf8")).toBe(fs.readFileSync(first, "utf8"))
    })
  }

  it("PostgreSQL: an export holds every event committed when it began, waiting for a transaction open before them", async () => {
    const target = await Stores.postgres.fresh("held")
    await target.run(EventStore.append(`Held-${crypto.randomUUID()}`, [{ type: "Noted", data: { n: 1 } }]))
    // Another session takes a transaction id and keeps its transaction open; the events after it are committed, but
    // readAll shows them only once that transaction ends.
    const { default: pg } = await import("pg")
    const holder = new pg.Client({ connectionString: target.args[1]! })
    await holder.connect()
    try {
      await holder.query("BEGIN")
      await holder.query("SELECT pg_current_xact_id()")
      await target.run(EventStore.append(`Held-${crypto.randomUUID()}`, [{ type: "Noted", data: { n: 2 } }]))
      await target.run(EventStore.append(`Held-${crypto.randomUUID()}`, [{ type: "Noted", data: { n: 3 } }]))
      const exporting = Bin.start(["export", ...target.args])
      // The export says it waits, and waits, until the holder ends.
      await Bin.eventually(() => exporting.stderr().includes("Waiting"), 60_000)
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(exporting.stdout()).not.toContain('"n":3')
      await holder.query("COMMIT")
      const outcome = ok(await exporting.ended)
      expect(outcome.stderr).toMatch(
        /^Waiting for transactions that began before the last committed event \(position \d+:\d+\) to end\n/
      )
      expect(
        outcome.stdout
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line).data.n)
      ).toEqual([1, 2, 3])
    } finally {
      await holder.end()
    }
  })

  it("SQLite → PostgreSQL → SQLite: every export identical byte for byte, every field kept", async () => {
    const fromSqlite = ok(await Bin.run(["export", "--db", source])).stdout
    const postgres = await Stores.postgres.fresh("chain")
    ok(await Bin.run(["import", "-", ...postgres.args], { stdin: fromSqlite }))
    await Stores.visible(postgres, 2_506)
    const fromPostgres = ok(await Bin.run(["export", ...postgres.args])).stdout
    expect(fromPostgres).toBe(fromSqlite)
    const back = await Stores.sqlite.fresh("chain")
    ok(await Bin.run(["import", "-", ...back.args], { stdin: fromPostgres }))
    expect(ok(await Bin.run(["export", ...back.args])).stdout).toBe(fromSqlite)
    // What each store reads back: the same ids, stream ids, versions, types, data, metadata and times.
    const read = (target: Stores.Target) =>
      target.run(Stream.runCollect(EventStore.readAll())).then((events) =>
        [...events].map((e) => ({
          id: e.id,
          streamId: e.streamId,
          version: e.version,
          type: e.type,
          data: e.data,
          metadata: e.metadata,
          recordedAt: e.recordedAt.toISOString()
        }))
      )
    const original = await read(Stores.sqliteFile(source))
    expect(original).toHaveLength(2_506)
    expect(await read(postgres)).toEqual(original)
    expect(await read(back)).toEqual(original)
    expect(original.find((e) => e.streamId === "Cart-1")).toMatchObject({
      data: { item: "milk", note: "ünïcödé ✓" },
      metadata: { correlationId: "c-1", user: 7 }
    })
  })

  it("export writes to stdout and import reads stdin with -", async () => {
    const exported = ok(await Bin.run(["export", "--db", source]))
    expect(exported.stderr).toMatch(/^Exported 2,506 events to stdout in /)
    const copy = `${fresh("stdin")}.db`
    const imported = ok(await Bin.run(["import", "-", "--db", copy, "--json"], { stdin: exported.stdout }))
    expect(Bin.jsonLines(imported)).toEqual([{ read: 2_506, written: 2_506, skipped: 0 }])
    expect(ok(await Bin.run(["export", "--db", copy, "--out", "-"])).stdout).toBe(exported.stdout)
  })

  it("--after exports only the events after a position", async () => {
    const all = (await Bin.run(["export", "--db", source])).stdout.split("\n").filter((l) => l.length > 0)
    const after = ok(await Bin.run(["export", "--db", source, "--after", "2500"]))
      .stdout.split("\n")
      .filter((l) => l.length > 0)
    expect(after).toEqual(all.slice(2_500))
    expect(ok(await Bin.run(["export", "--db", source, "--after", "99999"])).stdout).toBe("")
  })

  it("progress lines are periodic and plain when stderr is not a terminal", async () => {
    const big = `${fresh("big")}.db`
    await Seed.many(Stores.sqliteFile(big), 60_000, 100)
    const out = `${fresh("big")}.ndjson`
    const exported = ok(await Bin.run(["export", "--db", big, "--out", out]))
    for (const line of exported.stderr.trimEnd().split("\n").slice(0, -1)) {
      expect(line).toMatch(/^Exporting +\d+% [\d,]+ events, [\d,]+ events\/s, (\d+s|\d+m\d\ds) left$/)
    }
    expect(exported.stderr).not.toContain("\r")
    expect(exported.stderr.trimEnd().split("\n").at(-1)).toMatch(/^Exported 60,000 events to /)
  })

  for (const kind of Stores.kinds) {
    it(`a conflicting history stops the import on ${kind.name}; the chunks before it stay, whole`, async () => {
      const file = `${fresh("conflict")}.ndjson`
      ok(await Bin.run(["export", "--db", source, "--out", file]))
      const events = readLines(file)
      const target = await kind.fresh("conflict")
      // The target holds another history of Bulk-9: its own event at version 150, which line 1,506 brings too.
      const bulk9 = events.slice(0, 1_506).filter((e) => e.streamId === "Bulk-9")
      expect(bulk9.at(-1)!.version).toBe(150)
      await target.run(
        StoreAdmin.importEvents([
          ...bulk9.slice(0, -1),
          { ...bulk9.at(-1)!, id: crypto.randomUUID(), data: { other: 1 } }
        ])
      )
      await Stores.visible(target, bulk9.length)
      const before = await target.run(StoreAdmin.stats)
      const failed = await Bin.run(["import", file, ...target.args])
      expect(failed.status).toBe(1)
      expect(failed.stdout).toBe("")
      // Progress lines (every two seconds of a slow import), then the one line of the error.
      const lines = failed.stderr.trimEnd().split("\n")
      for (const line of lines.slice(0, -1)) expect(line).toMatch(/^Importing +\d+% [\d,]+ events, /)
      expect(lines.at(-1)).toMatch(
        /^chronicle: .*conflict-\d+\.ndjson, line 1506: Import conflicts with the history of stream "Bulk-9" at version 150 \(event [0-9a-f-]+\): the stream holds another event at version 150; stopped there: the 1,000 events before its chunk of 1,000 lines are imported, nothing of that chunk is$/
      )
      // The first chunk is in, whole (its Bulk-9 events were there already); nothing of the second.
      const present = events.slice(0, 1_000).filter((e) => e.streamId === "Bulk-9").length
      await Stores.visible(target, before.events + 1_000 - present)
      const after = await target.run(StoreAdmin.stats)
      expect(after.events - before.events).toBe(1_000 - present)
      const stored = await target.run(Stream.runCollect(EventStore.readAll()))
      const byStream = new Map<string, Array<number>>()
      for (const e of stored) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.version])
      for (const versions of byStream.values()) expect(versions).toEqual(versions.map((_, i) => i + 1))
    })
  }

  it("bad lines stop the import with the line's number", async () => {
    const target = `${fresh("bad")}.db`
    const file = `${fresh("bad")}.ndjson`
    const good = (await Bin.run(["export", "--db", source])).stdout.split("\n").slice(0, 2)
    const cases: ReadonlyArray<readonly [string, RegExp]> = [
      ["{not json", /line 3: not JSON/],
      ['{"id":"x"}', /line 3: "streamId" must be a string/],
      [
        JSON.stringify({ ...JSON.parse(good[0]!), id: "nope", version: 9 }),
        /line 3: Invalid event #2 for stream "Account-1": the id must be a UUID/
      ],
      [JSON.stringify({ ...JSON.parse(good[0]!), recordedAt: "yesterday" }), /line 3: "recordedAt" is not a date/]
    ]
    for (const [line, message] of cases) {
      fs.writeFileSync(file, `${good.join("\n")}\n${line}\n`)
      const outcome = await Bin.run(["import", file, "--db", target])
      expect(outcome.status).toBe(1)
      expect(outcome.stderr).toMatch(message)
      expect(outcome.stderr.trimEnd().split("\n")).toHaveLength(1)
    }
  })

  it("an input that cannot be read, or an output that cannot be written, is one line, and creates no database", async () => {
    const missing = await Bin.run(["import", path.join(dir, "missing.ndjson"), "--db", `${fresh("never")}.db`])
    expect(missing.status).toBe(1)
    expect(missing.stderr).toMatch(/^chronicle: cannot read .*missing\.ndjson: no such file or directory\n$/)
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("never"))).toEqual([])
    const unwritable = await Bin.run(["export", "--db", source, "--out", path.join(dir, "no", "such", "dir.ndjson")])
    expect(unwritable.status).toBe(1)
    expect(unwritable.stderr).toMatch(/^chronicle: cannot write .*dir\.ndjson: no such file or directory\n$/)
  })
})

const readLines = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const event = JSON.parse(line)
      return { ...event, recordedAt: new Date(event.recordedAt) } as StoreAdmin.ImportEvent
    })
