// The read commands of the real bin, in child processes, on every store (a SQLite file, a PostgreSQL database): stats,
// streams, read, tail (and tail --follow receiving another process's appends and ending on Ctrl-C), their --json output
// parsed and checked, their tables, their help.
import * as fs from "node:fs"
import * as path from "node:path"
import { EventStore, Position } from "@chronicle/core"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import * as Bin from "./fixtures/Bin.js"
import * as Seed from "./fixtures/Seed.js"
import * as Stores from "./fixtures/Stores.js"

const ok = (outcome: Bin.Outcome) => {
  expect(outcome.stderr, outcome.stdout).toBe("")
  expect(outcome.status).toBe(0)
  return outcome
}

for (const kind of Stores.kinds) {
  describe(`on ${kind.name}`, () => {
    let target: Stores.Target
    let db: ReadonlyArray<string> = []
    let positions: ReadonlyArray<Position.Position> = []
    const at = (i: number) => Position.format(positions[i]!)
    beforeAll(async () => {
      target = await kind.fresh("inspect")
      db = target.args
      positions = await Seed.standard(target)
    })

    describe.concurrent("chronicle stats", () => {
      it("--json: one value with events, streams, head, times, types and size", async () => {
        const [stats] = Bin.jsonLines(ok(await Bin.run(["stats", ...db, "--json"])))
        expect(stats).toMatchObject({
          events: 6,
          streams: 3,
          head: at(5),
          eventTypes: [
            { type: "Deposited", count: 2 },
            { type: "ItemAdded", count: 1 },
            { type: "Opened", count: 2 },
            { type: "Withdrawn", count: 1 }
          ]
        })
        expect(stats!.size).toBe(await kind.size(target))
        expect(Date.parse(stats!.firstRecordedAt as string)).toBeLessThanOrEqual(
          Date.parse(stats!.lastRecordedAt as string)
        )
      })

      it("prints an aligned table", async () => {
        const { stdout } = ok(await Bin.run(["stats", ...db]))
        expect(stdout).toMatch(/^events +6$/m)
        expect(stdout).toMatch(/^streams +3$/m)
        expect(stdout).toMatch(/^size on disk +[\d.]+ KiB \([\d,]+ bytes\)$/m)
        expect(stdout).toMatch(/^TYPE +EVENTS$/m)
        expect(stdout).toMatch(/^Deposited +2$/m)
        expect(stdout).not.toContain("\u001b[")
      })

      it("on an empty Chronicle database: zeros and no times", async () => {
        const empty = await kind.fresh("empty")
        await empty.run(Effect.void)
        const [stats] = Bin.jsonLines(ok(await Bin.run(["stats", ...empty.args, "--json"])))
        expect(stats).toMatchObject({ events: 0, streams: 0, head: "0", firstRecordedAt: null, lastRecordedAt: null })
      })
    })

    describe.concurrent("chronicle streams", () => {
      it("--json: every stream in id order with its version, last write and position", async () => {
        const streams = Bin.jsonLines(ok(await Bin.run(["streams", ...db, "--json"])))
        expect(streams.map((s) => [s.streamId, s.version, s.position])).toEqual([
          ["Account-1", 3, at(4)],
          ["Account-2", 2, at(3)],
          ["Cart-1", 1, at(5)]
        ])
        for (const s of streams) expect(new Date(s.lastRecordedAt as string).toISOString()).toBe(s.lastRecordedAt)
      })

      it("--prefix, --limit and --after page through them", async () => {
        const prefixed = Bin.jsonLines(ok(await Bin.run(["streams", ...db, "--json", "--prefix", "Account-"])))
        expect(prefixed.map((s) => s.streamId)).toEqual(["Account-1", "Account-2"])
        const first = ok(await Bin.run(["streams", ...db, "--limit", "1"]))
        expect(first.stdout.split("\n")[0]).toMatch(/^STREAM +VERSION +LAST WRITE +POSITION$/)
        expect(first.stdout).toMatch(/^Account-1 +3 /m)
        expect(first.stdout).toContain('more: --after "Account-1"')
        const rest = Bin.jsonLines(ok(await Bin.run(["streams", ...db, "--json", "--after", "Account-1"])))
        expect(rest.map((s) => s.streamId)).toEqual(["Account-2", "Cart-1"])
      })
    })

    describe.concurrent("chronicle read", () => {
      it("--json: the stream's events, oldest first, with every field", async () => {
        const events = Bin.jsonLines(ok(await Bin.run(["read", "Account-1", ...db, "--json"])))
        expect(events.map((e) => [e.version, e.type, e.data])).toEqual([
          [1, "Opened", { owner: "Ada" }],
          [2, "Deposited", { amount: 100 }],
          [3, "Withdrawn", { amount: 30 }]
        ])
        expect(Object.keys(events[0]!)).toEqual(["position", ...Bin.exportFields])
        const [cart] = Bin.jsonLines(ok(await Bin.run(["read", "Cart-1", ...db, "--json"])))
        expect(cart!.metadata).toEqual({ correlationId: "c-1", user: 7 })
        expect(cart!.data).toEqual({ item: "milk", note: "ünïcödé ✓" })
      })

      it("--backward, --from, --to and --limit", async () => {
        const versions = async (...args: Array<string>) =>
          Bin.jsonLines(ok(await Bin.run(["read", "Account-1", ...db, "--json", ...args]))).map((e) => e.version)
        expect(await versions("--backward", "--limit", "1")).toEqual([3])
        expect(await versions("--from", "2")).toEqual([2, 3])
        expect(await versions("--to", "2")).toEqual([1, 2])
        expect(await versions("--backward", "--from", "2")).toEqual([2, 1])
      })

      it("prints a table, and says so when the stream is empty", async () => {
        const { stdout } = ok(await Bin.run(["read", "Account-1", ...db]))
        expect(stdout.split("\n")[0]).toMatch(/^VERSION +POSITION +TYPE +RECORDED AT +DATA$/)
        expect(stdout).toMatch(new RegExp(`^ +2 +${at(1)} +Deposited +\\S+Z +\\{"amount":100\\}$`, "m"))
        expect(ok(await Bin.run(["read", "Nobody", ...db])).stdout.trim()).toBe('no events in "Nobody"')
      })
    })

    describe.concurrent("chronicle tail", () => {
      it("--json: the global order, after a position, by type and stream prefix, up to a limit", async () => {
        const tail = async (...args: Array<string>) =>
          Bin.jsonLines(ok(await Bin.run(["tail", ...db, "--json", ...args]))).map((e) => `${e.streamId}@${e.version}`)
        expect(await tail()).toEqual([
          "Account-1@1",
          "Account-1@2",
          "Account-2@1",
          "Account-2@2",
          "Account-1@3",
          "Cart-1@1"
        ])
        expect(await tail("--after", at(3))).toEqual(["Account-1@3", "Cart-1@1"])
        expect(await tail("--type", "Opened", "--type", "Withdrawn")).toEqual([
          "Account-1@1",
          "Account-2@1",
          "Account-1@3"
        ])
        expect(await tail("--stream-prefix", "Account-2")).toEqual(["Account-2@1", "Account-2@2"])
        expect(await tail("--limit", "2")).toEqual(["Account-1@1", "Account-1@2"])
      })

      it("--follow receives events another process appends, and Ctrl-C ends it with exit code 0", async () => {
        const live = await kind.fresh("follow")
        const seeded = await Seed.standard(live)
        const running = Bin.start(["tail", ...live.args, "--json", "--follow", "--after", Position.format(seeded[4]!)])
        const lines = () =>
          running
            .stdout()
            .split("\n")
            .filter((line) => line.length > 0)
        await Bin.eventually(() => lines().length === 1)
        expect(JSON.parse(lines()[0]!)).toMatchObject({ streamId: "Cart-1", version: 1 })
        await live.run(
          EventStore.append("Live-1", [
            { type: "Appended", data: { n: 1 } },
            { type: "Appended", data: { n: 2 } }
          ])
        )
        await Bin.eventually(() => lines().length === 3)
        expect(
          lines()
            .slice(1)
            .map((line) => JSON.parse(line).data)
        ).toEqual([{ n: 1 }, { n: 2 }])
        running.process.kill("SIGINT")
        const ended = await running.ended
        expect(ended.stderr).toBe("")
        expect(ended.status).toBe(0)
      })
    })
  })
}

describe.concurrent("help, version and completions", () => {
  const commands = [
    "",
    "stats",
    "streams",
    "read",
    "tail",
    "export",
    "import",
    "checkpoints",
    "checkpoints reset",
    "migrate"
  ]
  for (const command of commands) {
    it(`chronicle ${command} --help: plain text, the full usage line, an example, no generic lines`, async () => {
      const words = command.split(" ").filter((word) => word.length > 0)
      const { stdout } = ok(await Bin.run([...words, "--help"]))
      expect(stdout).toContain(`$ chronicle${command === "" ? "" : ` ${command}`}`)
      expect(stdout).toMatch(/Examples?:\n\n {2}\$ chronicle /)
      expect(stdout).not.toContain("A user-defined piece of text")
      expect(stdout).not.toContain("This setting is optional")
      expect(stdout).not.toContain("\u001b[")
    })
  }

  it("--version prints the package's version", async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(Bin.packageDir, "package.json"), "utf8")) as {
      version: string
    }
    expect(ok(await Bin.run(["--version"])).stdout.trim()).toBe(manifest.version)
  })

  it("--completions bash prints a completion script", async () => {
    const { stdout } = ok(await Bin.run(["--completions", "bash"]))
    expect(stdout).toContain("complete")
    expect(stdout).toContain("chronicle")
  })
})
