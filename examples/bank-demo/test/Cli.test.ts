// The demo's command line, run as a user runs it: every mistake is one line on stderr and a non-zero exit code,
// nothing on stdout, no stack trace. Permission cases run the demo as an unprivileged user when the tests run as root
// (root writes where it likes); see ProgramRun.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as ProgramRun from "@chronicle/example-cli/ProgramRun"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"

const packageDir = path.join(import.meta.dirname, "..")
const demo = (args: ReadonlyArray<string>, options: ProgramRun.Options = {}) =>
  ProgramRun.tsx(packageDir, "src/main.ts", args, options)

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-demo-cli-"))
fs.chmodSync(scratch, 0o755)
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

/** A directory of its own under the scratch directory, open to everyone (so an unprivileged run can enter it). */
const directory = (name: string) => {
  const dir = path.join(scratch, name)
  fs.mkdirSync(dir, { mode: 0o777 })
  fs.chmodSync(dir, 0o777)
  return dir
}

/** The demo failed as the issue asks: one line on stderr, the exit code, and nothing on stdout. */
const expectOneLine = (outcome: ProgramRun.Outcome, status: number, line: string) => {
  expect(ProgramRun.errorLines(outcome)).toEqual([line])
  expect(outcome.status).toBe(status)
  expect(outcome.stdout).toBe("")
}

describe.concurrent("bank demo command line", () => {
  it("--help describes the program and its flags, without colour codes, with or without NO_COLOR", async () => {
    const [plain, noColor] = await Promise.all([
      demo(["--help"], { env: { NO_COLOR: undefined } }),
      demo(["--help"], { env: { NO_COLOR: "1" } })
    ])
    for (const outcome of [plain, noColor]) {
      expect(outcome.status).toBe(0)
      expect(outcome.stderr).toBe("")
      expect(outcome.stdout).toMatch(/^The bank demonstration on Chronicle: /)
      expect(outcome.stdout).toContain("Usage: npx -y pnpm@10.34.8 demo [--fresh] [--db PATH | --pg URL | --memory]")
      for (const flag of ["--db PATH", "--fresh", "--pg URL", "--memory", "-h, --help", "CHRONICLE_PG_URL=URL"]) {
        expect(outcome.stdout).toContain(flag)
      }
      expect(outcome.stdout).not.toContain("\u001b")
    }
  })

  it("an unknown flag: one line that says see --help, exit code 2", async () => {
    expectOneLine(await demo(["--bogus"]), 2, 'demo: unknown option "--bogus"; see --help')
  })

  it("an unknown flag through pnpm, as the README runs the demo: the same one line, once, and exit code 2", async () => {
    const outcome = await ProgramRun.pnpm(["demo", "--bogus"])
    expect(ProgramRun.errorLines(outcome)).toEqual(['demo: unknown option "--bogus"; see --help'])
    expect(outcome.status).toBe(2)
    expect(ProgramRun.printed(outcome)).toBe("")
  })

  it("--db without a value: one line naming the value it needs, exit code 2", async () => {
    expectOneLine(await demo(["--db"]), 2, "demo: --db needs a value: --db PATH; see --help")
  })

  it("--memory with --fresh: refused in one line, exit code 2", async () => {
    expectOneLine(
      await demo(["--memory", "--fresh"]),
      2,
      "demo: --memory and --fresh cannot be combined: the in-memory store starts empty on every run; see --help"
    )
  })

  it("--pg with something that is not a PostgreSQL URL, from the flag or CHRONICLE_PG_URL: one line, exit code 2", async () => {
    expectOneLine(
      await demo(["--pg", "bank.db"]),
      2,
      'demo: --pg needs a PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DATABASE, not "bank.db"; see --help'
    )
    expectOneLine(
      await demo([], { env: { CHRONICLE_PG_URL: "mysql://host/bank" } }),
      2,
      'demo: CHRONICLE_PG_URL needs a PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DATABASE, not "mysql://host/bank"; see --help'
    )
  })

  it("--pg with a server that is not there: one line naming it (without its password), exit code 1", async () => {
    expectOneLine(
      await demo(["--pg", "postgres://me:secret@127.0.0.1:1/bank"]),
      1,
      "demo: cannot use PostgreSQL at postgres://me:***@127.0.0.1:1/bank: connect ECONNREFUSED 127.0.0.1:1; " +
        "check the URL (--pg URL or CHRONICLE_PG_URL), and that the server is running"
    )
  })

  it("--pg with --db or --memory: refused in one line, exit code 2", async () => {
    expectOneLine(
      await demo(["--pg", "postgres://h/db", "--db", "x.db"]),
      2,
      "demo: --pg and --db cannot be combined: --pg names a PostgreSQL database, --db a SQLite file; see --help"
    )
    expectOneLine(
      await demo(["--memory", "--pg", "postgres://h/db"]),
      2,
      "demo: --memory and --pg cannot be combined: the in-memory store keeps no database; see --help"
    )
  })

  it("a file that is not a SQLite database: one line before anything else, the file untouched, exit code 1", async () => {
    const file = path.join(directory("not-sqlite"), "notes.txt")
    fs.writeFileSync(file, "my notes\n")
    expectOneLine(
      await demo(["--db", file]),
      1,
      `demo: ${file} is not a SQLite database; choose another file with --db PATH (this one is left as it is)`
    )
    expect(fs.readFileSync(file, "utf8")).toBe("my notes\n")
  })

  it("a path whose parent is a file: one line, exit code 1", async () => {
    const parent = path.join(directory("parent-file"), "file")
    fs.writeFileSync(parent, "")
    const target = path.join(parent, "bank.db")
    expectOneLine(
      await demo(["--db", target]),
      1,
      `demo: cannot create ${target}: ${parent} is a file, not a directory; choose another file with --db PATH`
    )
  })

  it("a directory the demo may not write: one line, exit code 1", async () => {
    const dir = directory("unwritable")
    fs.chmodSync(dir, 0o555)
    const outcome = await demo(["--db", path.join(dir, "bank.db")], { unprivileged: true })
    expectOneLine(
      outcome,
      1,
      `demo: cannot write in ${dir} (SQLite keeps its journal files beside the database); make it writable, or choose another file with --db PATH`
    )
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it("a read-only database: found when the demo opens it, one line, exit code 1", async () => {
    const file = path.join(directory("read-only"), "bank.db")
    await Effect.runPromise(Effect.provide(Effect.void, SqliteEventStore.layer({ filename: file })))
    fs.chmodSync(file, 0o444)
    const before = fs.readFileSync(file)
    expectOneLine(
      await demo(["--db", file], { unprivileged: true }),
      1,
      `demo: ${file} is read-only; make it writable, or choose another file with --db PATH`
    )
    expect(fs.readFileSync(file).equals(before)).toBe(true)
  })
})
