// Every command README.md prints, run exactly as it is written — through `npx -y pnpm@10.34.8`, from the repository
// root — and checked by what it prints and leaves behind. The table below holds each command with its check; the
// first test holds the table to the README, so a command added to the README, or changed there, fails until a test
// runs it. Default database files go to a temporary CHRONICLE_DATA_DIR, never to the examples' own `.chronicle/`;
// `URL` is a new database on the test run's PostgreSQL server.
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as ProgramRun from "@chronicle/example-cli/ProgramRun"
import { createDatabase } from "@chronicle/postgres-server"
import { serverUrl } from "@chronicle/postgres-server/vitest"
import { afterAll, describe, expect, it } from "vitest"

const root = ProgramRun.repositoryRoot
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
const prefix = `${ProgramRun.pnpmCommand.join(" ")} `

/**
 * The commands a Markdown text prints: each line of its shell code blocks (split at `&&`, comments dropped), each
 * `$ ` line of its terminal transcripts (`console` blocks), and each code span elsewhere that runs pnpm. A bare
 * `pnpm x` reads as `npx -y pnpm@10.34.8 x`, as the Quick start runs pnpm.
 */
const commandsIn = (markdown: string): Array<string> => {
  const found: Array<string> = []
  const keep = (text: string) => {
    const command = text.trim().replace(/^pnpm /, prefix)
    if (command.startsWith(prefix)) found.push(command)
  }
  const blocks = /```(\w*)\n([\s\S]*?)```/g
  for (const [, language, body] of markdown.matchAll(blocks)) {
    if (language === "console") {
      for (const line of body!.split("\n")) if (line.startsWith("$ ")) keep(line.slice(2))
      continue
    }
    if (!["sh", "bash", "shell"].includes(language!)) continue
    for (const line of body!.split("\n")) for (const part of line.replace(/\s#.*$/, "").split("&&")) keep(part)
  }
  for (const [, span] of markdown.replace(blocks, "").matchAll(/`([^`\n]+)`/g)) keep(span!)
  return [...new Set(found)].sort()
}

/** Commands the README prints that this file does not run, and why. */
const notRunHere: Record<string, string> = {
  [`${prefix}install`]: "installing the workspace is what every test stands on",
  [`${prefix}test`]: "it is the suite that runs this file",
  [`${prefix}typecheck`]: "CI runs it (.ci/run)",
  [`${prefix}lint`]: "CI runs it (.ci/run)",
  [`${prefix}format`]: "it rewrites files; CI runs lint, which checks the same",
  [`${prefix}test:consumer`]: "CI runs it (.ci/run)",
  [`${prefix}test:mutation`]:
    "an hour from nothing on 2 cores, and it rewrites the mutated files in place while it runs: run by hand, as the README says",
  [`${prefix}test:mutation --mutate packages/core/src/StreamId.ts`]:
    "minutes per file, and it rewrites the file in place while it runs: run by hand, as the README says",
  [`${prefix}add @chronicle/core @chronicle/sql @chronicle/store-sqlite @chronicle/store-memory effect@^3.22.1 \\`]:
    "test:consumer installs the packed packages with these dependencies into a scratch pnpm application (the packages are not on the registry)",
  [`${prefix}add --save-dev @chronicle/testkit vitest@^3.2.0 @effect/vitest@^0.29.0`]:
    "test:consumer installs these into its scratch pnpm application",
  [`${prefix}add @chronicle/store-postgres @effect/sql-pg@^0.53.0`]:
    "test:consumer installs the packed store-postgres with @effect/sql-pg into its scratch pnpm application",
  [`${prefix}add @chronicle/http @effect/platform-node@^0.108.0`]:
    "test:consumer installs the packed @chronicle/http with @effect/platform-node into its scratch pnpm application and serves, appends and reads through it",
  [`${prefix}approve-builds`]:
    "it asks questions; test:consumer's scratch application allows the build in its settings",
  [`${prefix}add --save-dev @chronicle/cli`]:
    "test:consumer packs @chronicle/cli and checks its tarball; the bin itself is tested by packages/cli/test"
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-readme-"))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))
let scratchCount = 0
const freshDir = () => fs.mkdtempSync(path.join(scratch, `${++scratchCount}-`))

/** A new, empty database on the run's server, for a command's `URL`. */
const freshDatabase = async () => (await createDatabase(serverUrl(), "readme")).url

/**
 * Runs a README command word for word, with `PATH` replaced by a file and `URL` by a database, the default files in
 * `dataDir`; checks that it
 * succeeded without a word on stderr (the bench logs its progress there), and returns what the program printed
 * (pnpm's own header lines dropped).
 */
const runExactly = async (
  command: string,
  options: {
    readonly dataDir?: string
    readonly file?: string
    readonly url?: string
    readonly extra?: ReadonlyArray<string>
    readonly progress?: (stderr: string) => void
  } = {}
) => {
  const words = command
    .slice(prefix.length)
    .split(" ")
    .map((word) =>
      word === "PATH" && options.file !== undefined ? options.file : word === "URL" && options.url ? options.url : word
    )
  const outcome = await ProgramRun.pnpm([...words, ...(options.extra ?? [])], {
    env: { CHRONICLE_DATA_DIR: options.dataDir ?? freshDir() },
    // The examples seed 10,000 events; all the README's commands run at once.
    timeout: 300_000
  })
  if (options.progress === undefined) expect(outcome.stderr, `${command} wrote to stderr`).toBe("")
  else options.progress(outcome.stderr)
  expect(outcome.status, outcome.stdout).toBe(0)
  return ProgramRun.printed(outcome)
}

const lineOf = (output: string, start: string) => output.split("\n").find((line) => line.startsWith(start))

const demoEnding = "ACC-001 after both: balance $1,250.00, version 8"

const publishable = [
  "core",
  "sql",
  "bank-account",
  "store-memory",
  "store-sqlite",
  "store-postgres",
  "testkit",
  "http",
  "cli"
]

/**
 * The transcript of `chronicle` on the demo's database, as the README prints it: the demo's file at its default place
 * (written by the demo there, continuing its history if it has one, as a user's run would), the export and the copy
 * beside it, made afresh. Each command waits for the one it reads from.
 */
const demoFile = "examples/bank-demo/.chronicle/bank-demo.db"
const transcriptFiles = ["examples/bank-demo/.chronicle/bank.ndjson", "examples/bank-demo/.chronicle/bank-copy.db"]
let demoDatabase: Promise<unknown> | undefined
const withDemoDatabase = () =>
  (demoDatabase ??= (async () => {
    for (const file of transcriptFiles)
      for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(path.join(root, file + suffix), { force: true })
    const outcome = await ProgramRun.pnpm(["demo", "--db", demoFile])
    expect(outcome.status, outcome.stderr).toBe(0)
  })())
let exported: Promise<unknown> | undefined
const chronicle = async (command: string, options: { readonly stderr?: (stderr: string) => void } = {}) => {
  await withDemoDatabase()
  if (command.includes(" import ")) await exported
  const words = command.slice(prefix.length).split(" ")
  const run = ProgramRun.pnpm(words)
  if (command.includes(" export ")) exported = run
  const outcome = await run
  expect(outcome.status, outcome.stderr).toBe(0)
  if (options.stderr === undefined) expect(outcome.stderr).toBe("")
  else options.stderr(outcome.stderr)
  return ProgramRun.printed(outcome)
}
const demoDb = `--db ${demoFile}`

/** `build` and `bench` both build the packages' `dist/`: the two commands run one after the other, not at once. */
let building: Promise<unknown> = Promise.resolve()
const oneBuildAtATime = <A>(run: () => Promise<A>): Promise<A> => {
  const next = building.then(run, run)
  building = next.catch(() => undefined)
  return next
}

/**
 * `chronicle serve` runs until interrupted: started as written, it is checked to answer (the API and the console),
 * then stopped with Ctrl-C's signal.
 */
const serveUntilItAnswers = async (command: string) => {
  await withDemoDatabase()
  const [program, ...args] = command.split(" ")
  const child = spawn(program!, args, { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve))
  try {
    await expect.poll(() => stdout, { timeout: 120_000, interval: 250 }).toContain("chronicle serve: listening on")
    const url = /listening on (\S+)/.exec(stdout)![1]!
    expect(url).toBe("http://127.0.0.1:4400")
    const streams = (await (await fetch(`${url}/api/streams?prefix=BankAccount-`)).json()) as {
      readonly streams: ReadonlyArray<{ readonly streamId: string }>
    }
    expect(streams.streams.map((s) => s.streamId)).toEqual(["BankAccount-ACC-001", "BankAccount-ACC-002"])
    expect(await (await fetch(url)).text()).toContain("<title>Chronicle</title>")
  } finally {
    process.kill(-child.pid!, "SIGINT")
  }
  await exited
  expect(stderr).not.toMatch(/Error/)
}

const table: Record<string, () => Promise<void>> = {
  [`${prefix}chronicle serve ${demoDb}`]: () => serveUntilItAnswers(`${prefix}chronicle serve ${demoDb}`),
  [`${prefix}chronicle stats ${demoDb}`]: async () => {
    const output = await chronicle(`${prefix}chronicle stats ${demoDb}`)
    expect(output).toMatch(
      /^events +[\d,]+\nstreams +2\nhead position +\d+\nfirst recorded +\S+Z\nlast recorded +\S+Z\nsize on disk +[\d.]+ KiB \([\d,]+ bytes\)\n\nTYPE +EVENTS\nAccountOpened +2\nMoneyDeposited +\d+\nMoneyWithdrawn +\d+$/
    )
  },
  [`${prefix}chronicle streams ${demoDb}`]: async () => {
    const output = await chronicle(`${prefix}chronicle streams ${demoDb}`)
    expect(output).toMatch(
      /^STREAM +VERSION +LAST WRITE +POSITION\nBankAccount-ACC-001 +\d+ +\S+Z +\d+\nBankAccount-ACC-002 +\d+ +\S+Z +\d+$/
    )
  },
  [`${prefix}chronicle read BankAccount-ACC-002 ${demoDb}`]: async () => {
    const output = await chronicle(`${prefix}chronicle read BankAccount-ACC-002 ${demoDb}`)
    expect(output.split("\n")[0]).toMatch(/^VERSION +POSITION +TYPE +RECORDED AT +DATA$/)
    expect(output).toMatch(/^ +1 +\d+ +AccountOpened +\S+Z +\{"accountId":"ACC-002","ownerName":"Jane Smith",/m)
    expect(output).toMatch(/^ +2 +\d+ +MoneyDeposited +\S+Z +\{"amount":200000,"balanceAfter":200000\}$/m)
  },
  [`${prefix}chronicle tail ${demoDb} --after 9 --json`]: async () => {
    const output = await chronicle(`${prefix}chronicle tail ${demoDb} --after 9 --json`)
    const events = output.split("\n").map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(events[0]).toMatchObject({ position: "10", streamId: "BankAccount-ACC-001", type: "MoneyDeposited" })
    for (const event of events) {
      expect(Object.keys(event)).toEqual([
        "position",
        "id",
        "streamId",
        "version",
        "type",
        "data",
        "metadata",
        "recordedAt"
      ])
    }
  },
  [`${prefix}chronicle export ${demoDb} --out ${transcriptFiles[0]}`]: async () => {
    await chronicle(`${prefix}chronicle export ${demoDb} --out ${transcriptFiles[0]}`, {
      stderr: (stderr) =>
        expect(stderr).toMatch(
          new RegExp(`^Exported [\\d,]+ events to ${transcriptFiles[0]} in [\\d.]+ s \\([\\d,]+ events/s\\)\\n$`)
        )
    })
    const lines = fs.readFileSync(path.join(root, transcriptFiles[0]!), "utf8").trimEnd().split("\n")
    expect(JSON.parse(lines[0]!)).toMatchObject({ streamId: "BankAccount-ACC-001", version: 1, type: "AccountOpened" })
  },
  [`${prefix}chronicle import ${transcriptFiles[0]} --db ${transcriptFiles[1]}`]: async () => {
    const output = await chronicle(`${prefix}chronicle import ${transcriptFiles[0]} --db ${transcriptFiles[1]}`)
    expect(output).toMatch(
      new RegExp(
        `^Imported ${transcriptFiles[0]}: ([\\d,]+) events read, \\1 written, 0 already present, in [\\d.]+ s \\([\\d,]+ events/s\\)$`
      )
    )
  },
  [`${prefix}build`]: async () => {
    await oneBuildAtATime(() => runExactly(`${prefix}build`))
    for (const name of publishable) {
      for (const file of ["index.js", "index.d.ts", "index.js.map", "index.d.ts.map"]) {
        expect(fs.existsSync(path.join(root, "packages", name, "dist", file)), `${name}/dist/${file}`).toBe(true)
      }
    }
  },
  [`${prefix}demo`]: async () => {
    const dataDir = freshDir()
    const output = await runExactly(`${prefix}demo`, { dataDir })
    expect(lineOf(output, "Store:")).toBe(`Store: SQLite file ${path.join(dataDir, "bank-demo.db")} (new)`)
    expect(output).toContain("Withdraw $999,999.99 rejected: InsufficientFunds, nothing recorded")
    expect(output).toContain("  version 5, position 5: MoneyWithdrawn")
    expect(output).toContain(demoEnding)
    expect(fs.existsSync(path.join(dataDir, "bank-demo.db"))).toBe(true)
  },
  [`${prefix}demo --fresh`]: async () => {
    const dataDir = freshDir()
    // Anything but a database: without --fresh the demo would refuse this file.
    fs.writeFileSync(path.join(dataDir, "bank-demo.db"), "an old file")
    const output = await runExactly(`${prefix}demo --fresh`, { dataDir })
    expect(lineOf(output, "Store:")).toBe(
      `Store: SQLite file ${path.join(dataDir, "bank-demo.db")} (deleted and started over)`
    )
    expect(output).toContain("Opened ACC-001 for John Doe (stream version 1)")
    expect(output).toContain(demoEnding)
  },
  [`${prefix}demo --db PATH`]: async () => {
    const dataDir = path.join(freshDir(), "unused")
    const file = path.join(freshDir(), "nested", "mine.db")
    const output = await runExactly(`${prefix}demo --db PATH`, { dataDir, file })
    expect(lineOf(output, "Store:")).toBe(`Store: SQLite file ${file} (new)`)
    expect(output).toContain(demoEnding)
    expect(fs.existsSync(file)).toBe(true)
    expect(fs.existsSync(dataDir)).toBe(false)
  },
  [`${prefix}demo --memory`]: async () => {
    const dataDir = freshDir()
    const output = await runExactly(`${prefix}demo --memory`, { dataDir })
    expect(lineOf(output, "Store:")).toBe("Store: in memory (nothing is kept)")
    expect(output).toContain(demoEnding)
    expect(fs.readdirSync(dataDir)).toEqual([])
  },
  [`${prefix}demo --pg URL`]: async () => {
    const url = await freshDatabase()
    const first = await runExactly(`${prefix}demo --pg URL`, { url })
    const shown = url.replace(/:[^:@/]+@/, ":***@")
    expect(lineOf(first, "Store:")).toBe(`Store: PostgreSQL database ${shown}`)
    expect(first).toMatch(/^ {2}version 5, position \d+:5: MoneyWithdrawn /m)
    expect(first).toContain(demoEnding)
    // A second run continues the history in the same database.
    const second = await runExactly(`${prefix}demo --pg URL`, { url })
    expect(second).toContain("ACC-001 exists already: continuing its history from an earlier run")
    expect(second).toContain("ACC-001 after both: balance $2,750.00, version 16")
    // The first run's transfer, refused opening and daily limit, on PostgreSQL too.
    expect(first).toContain("both accounts appended at once (2 streams)")
    expect(first).toContain("refused, AccountNumberTaken")
    expect(first).toContain("refused, DailyLimitExceeded")
  },
  [`${prefix}example:tour`]: async () => {
    // The tour keeps counter.db in examples/bank-demo/, as the README says: a second run continues from the first.
    const read = (output: string) => {
      const counter = /^counter 1 at (\d+)$/m.exec(output)
      const account = /^ACC-TOUR holds \$([\d,]+\.\d\d) at version (\d+)$/m.exec(output)
      expect(counter, output).not.toBeNull()
      expect(account, output).not.toBeNull()
      return {
        total: Number(counter![1]),
        dollars: Number(account![1]!.replace(/,/g, "")),
        version: Number(account![2])
      }
    }
    const first = read(await runExactly(`${prefix}example:tour`))
    const second = read(await runExactly(`${prefix}example:tour`))
    expect(second.total).toBe(first.total + 5 > 100 ? first.total : first.total + 5)
    expect(second.version).toBe(first.version + 1)
    expect(second.dollars).toBeCloseTo(first.dollars + 25, 2)
  },
  [`${prefix}example:rebuild`]: async () => {
    const dataDir = freshDir()
    const first = await runExactly(`${prefix}example:rebuild`, { dataDir })
    expect(lineOf(first, "Store:")).toBe(`Store: SQLite file ${path.join(dataDir, "rebuild.db")} (new)`)
    for (const line of ["Seeded 10,000 events", "Rebuilt: 10,000 events replayed", "200 accounts, total held"]) {
      expect(first).toContain(line)
    }
    expect(first).toMatch(/^ {2}10,000 events replayed, at position 10000 of 10000, [\d,]+ events\/s$/m)
    expect(first).toContain("The table equals an in-memory replay of the same events.")
    const second = await runExactly(`${prefix}example:rebuild`, { dataDir })
    expect(second).toContain("(continuing its history)")
    expect(second).toContain("Events were seeded by an earlier run")
    expect(second).toContain("now at position 10000 (0 new events)")
    expect(second).toContain("The table equals an in-memory replay of the same events.")
  },
  [`${prefix}example:rebuild --pg URL`]: async () => {
    const url = await freshDatabase()
    const output = await runExactly(`${prefix}example:rebuild --pg URL`, { url })
    expect(lineOf(output, "Store:")).toBe(`Store: PostgreSQL database ${url.replace(/:[^:@/]+@/, ":***@")}`)
    for (const line of ["Seeded 10,000 events", "Rebuilt: 10,000 events replayed", "200 accounts, total held"]) {
      expect(output).toContain(line)
    }
    expect(output).toMatch(/^ {2}10,000 events replayed, at position (\d+):10000 of \1:10000, [\d,]+ events\/s$/m)
    expect(output).toContain("The table equals an in-memory replay of the same events.")
  },
  [`${prefix}example:snapshots`]: async () => {
    const dataDir = freshDir()
    const first = await runExactly(`${prefix}example:snapshots`, { dataDir })
    expect(first).toContain("Recording 10,000 transactions on ACC-LONG")
    const progress = first.split("\n").filter((line) => line.endsWith(" of 10,000 transactions recorded"))
    const tenths = Array.from({ length: 10 }, (_, i) => ((i + 1) * 1000).toLocaleString("en-US"))
    expect(progress).toEqual(tenths.map((done) => `  ${done} of 10,000 transactions recorded`))
    expect(first).toMatch(/^Full replay: +version 10,001, .*, 10,001 events read, /m)
    expect(first).toMatch(/^Snapshot \+ tail: +version 10,001, .*, 1 event read, /m)
    expect(first).toContain("Both loads give the same state.")
    const second = await runExactly(`${prefix}example:snapshots`, { dataDir })
    expect(second).toContain("ACC-LONG exists (version 10,001); adding 37 deposits")
    expect(second).toMatch(/^Snapshot \+ tail: +version 10,038, .*, 38 events read, /m)
    expect(second).toContain("Both loads give the same state.")
  },
  [`${prefix}example:time-travel`]: async () => {
    const output = await runExactly(`${prefix}example:time-travel`)
    expect(output).toMatch(/^ {2}version 1, position 1, recorded \S+: AccountOpened /m)
    expect(output).toContain("at version 0: not opened yet (version 0)")
    expect(output).toContain("at version 2: Active, balance $1,000.00 (version 2)")
    expect(output).toMatch(/\(before it existed\): not opened yet/)
    expect(output).toMatch(/\(between two events\): Active, balance \$750\.00 \(version 3\)/)
    expect(output).toContain("as of position 4: $800.00, total held $800.00")
  },
  [`${prefix}bench`]: async () => {
    // The full run takes minutes; this is the same command with the README's --quick, --store and --workload, and
    // --out, which keeps the JSON out of the repository. The committed results must stay as they are.
    const latest = path.join(root, "bench", "results", "latest.json")
    const hash = () => createHash("sha256").update(fs.readFileSync(latest)).digest("hex")
    const before = hash()
    const out = path.join(freshDir(), "bench.json")
    const output = await oneBuildAtATime(() =>
      runExactly(`${prefix}bench`, {
        extra: ["--quick", "--store", "memory", "--workload", "append-single", "--out", out],
        progress: (stderr) => {
          expect(stderr).toContain("▶ append-single on memory")
          expect(stderr).toMatch(/rep 1: [\d,]+ ev\/s/)
          expect(stderr).not.toMatch(/FAILED|Error/)
        }
      })
    )
    expect(output).toMatch(/^append-single +memory +\S+/m)
    expect(lineOf(output, "Wrote ")).toMatch(
      new RegExp(`^Wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} in \\d+ s$`)
    )
    const written = JSON.parse(fs.readFileSync(out, "utf8")) as {
      readonly complete: boolean
      readonly records: ReadonlyArray<{ readonly store: string; readonly workload: string }>
    }
    expect(written.complete).toBe(false)
    expect(written.records.map((r) => `${r.store} ${r.workload}`)).toEqual(["memory append-single"])
    expect(hash()).toBe(before)
  }
}

describe("README.md", () => {
  it("prints no command that this file does not run, and runs none that it does not print", () => {
    expect(commandsIn(readme)).toEqual([...Object.keys(table), ...Object.keys(notRunHere)].sort())
  })

  it("shows the tour exactly as examples/bank-demo/src/tour.ts has it", () => {
    const tour = fs.readFileSync(path.join(root, "examples", "bank-demo", "src", "tour.ts"), "utf8")
    expect(readme).toContain(`\`\`\`ts\n${tour}\`\`\`\n`)
  })
})

describe.concurrent("README.md commands, run as written", () => {
  for (const [command, check] of Object.entries(table)) it(command, check, 240_000)
})
