// The examples' command line (one for all three, in Stores.main), run as a user runs it: --help describes each
// program; a mistake is one line on stderr and a non-zero exit code, with nothing on stdout.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as ProgramRun from "@chronicle/example-cli/ProgramRun"
import { afterAll, describe, expect, it } from "vitest"

const packageDir = path.join(import.meta.dirname, "..")
const example = (name: string, args: ReadonlyArray<string>) =>
  ProgramRun.tsx(packageDir, `src/${name}.ts`, args, { env: { NO_COLOR: undefined } })

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-examples-cli-"))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

const expectOneLine = (outcome: ProgramRun.Outcome, status: number, line: string) => {
  expect(ProgramRun.errorLines(outcome)).toEqual([line])
  expect(outcome.status).toBe(status)
  expect(outcome.stdout).toBe("")
}

describe.concurrent("bank-projections examples' command line", () => {
  it.each([
    ["rebuild", "Regenerates a read model by replay", []],
    ["snapshots", "Loads a long stream fast", ["--transactions N"]],
    ["time-travel", "Rebuilds past states", []]
  ])("%s --help describes the program and its flags, without colour codes", async (name, summary, own) => {
    const outcome = await example(name, ["--help"])
    expect(outcome.status).toBe(0)
    expect(outcome.stderr).toBe("")
    expect(outcome.stdout.startsWith(summary)).toBe(true)
    expect(outcome.stdout).toContain(`Usage: npx -y pnpm@10.34.8 example:${name} [--fresh] [--db PATH | --pg URL]`)
    for (const flag of ["--db PATH", "--fresh", "--pg URL", "-h, --help", ...own])
      expect(outcome.stdout).toContain(flag)
    expect(outcome.stdout).toContain(`examples/bank-projections/.chronicle/${name}.db`)
    expect(outcome.stdout).not.toContain("\u001b")
  })

  it("an unknown flag: one line that says see --help, exit code 2", async () => {
    expectOneLine(await example("rebuild", ["--bogus"]), 2, 'example:rebuild: unknown option "--bogus"; see --help')
  })

  it("--pg with --fresh: refused in one line, exit code 2", async () => {
    expectOneLine(
      await example("rebuild", ["--pg", "postgres://h/db", "--fresh"]),
      2,
      "example:rebuild: --pg and --fresh cannot be combined: --fresh deletes a SQLite file; to start over on " +
        "PostgreSQL, give an empty database; see --help"
    )
  })

  it("--transactions that is not a whole number of at least 1: one line, exit code 2", async () => {
    expectOneLine(
      await example("snapshots", ["--transactions", "0"]),
      2,
      'example:snapshots: --transactions needs a whole number of at least 1, not "0"; see --help'
    )
  })

  it("a file that is not a SQLite database: one line, exit code 1, the file untouched", async () => {
    const file = path.join(scratch, "notes.txt")
    fs.writeFileSync(file, "my notes\n")
    expectOneLine(
      await example("time-travel", ["--db", file]),
      1,
      `example:time-travel: ${file} is not a SQLite database; choose another file with --db PATH (this one is left as it is)`
    )
    expect(fs.readFileSync(file, "utf8")).toBe("my notes\n")
  })
})
