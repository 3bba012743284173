import { CommandLine } from "@chronicle/example-cli"
import * as ProgramRun from "@chronicle/example-cli/ProgramRun"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import * as BenchOptions from "../src/BenchOptions.js"
import { httpWorkloads, workloadNames } from "../src/Workload.js"

const benchDir = "/repo/bench"
const values = (args: ReadonlyArray<string>): BenchOptions.Values => {
  const parsed = Either.getOrThrow(CommandLine.parse(BenchOptions.commandLine, args))
  if (parsed._tag !== "Run") throw new Error("asked for help")
  return parsed.values
}

describe("where a bench run writes its JSON", () => {
  it("a full run, and only a full run, writes results/latest.json", () => {
    expect(BenchOptions.outputFile(values([]), benchDir)).toBe("/repo/bench/results/latest.json")
    for (const partial of [
      ["--quick"],
      ["--store", "sqlite"],
      ["--workload", "read-all"],
      ["--repetitions", "2"],
      ["--profile"],
      ["--source"]
    ]) {
      expect(BenchOptions.isFull(values(partial)), partial.join(" ")).toBe(false)
      expect(BenchOptions.outputFile(values(partial), benchDir)).toBe("/repo/bench/results/partial.json")
    }
  })

  it("--out names the file, from where pnpm runs", () => {
    const saved = process.env.INIT_CWD
    process.env.INIT_CWD = "/repo"
    try {
      expect(BenchOptions.outputFile(values(["--quick", "--out", "mine.json"]), benchDir)).toBe("/repo/mine.json")
      expect(BenchOptions.outputFile(values(["--out", "/tmp/all.json"]), benchDir)).toBe("/tmp/all.json")
    } finally {
      if (saved === undefined) delete process.env.INIT_CWD
      else process.env.INIT_CWD = saved
    }
  })
})

describe("the bench's flags", () => {
  it("--workload http selects the HTTP workloads, with others in the bench's order", () => {
    expect(BenchOptions.workloadsOf(values(["--workload", "http,append-concurrent"]))).toEqual([
      "append-concurrent",
      ...httpWorkloads
    ])
    expect(BenchOptions.workloadsOf(values([]))).toEqual(workloadNames)
  })

  it.each([
    [
      ["--workload", "read-all,nope"],
      `unknown --workload "nope": choose from ${[...workloadNames, "http"].join(", ")}`
    ],
    [["--repetitions", "many"], '--repetitions needs a whole number of at least 1, not "many"'],
    [["--out"], "--out needs a value: --out FILE"]
  ])("refuses %j in one line", (args, problem) => {
    const parsed = CommandLine.parse(BenchOptions.commandLine, args)
    expect(Either.isLeft(parsed) && parsed.left.problem).toBe(problem)
  })
})

describe.concurrent("the bench's command line, through pnpm", () => {
  it("npx -y pnpm@10.34.8 bench --help describes the bench, its options and where the JSON goes", async () => {
    const outcome = await ProgramRun.pnpm(["bench", "--help"])
    expect(outcome.status).toBe(0)
    expect(outcome.stderr).toBe("")
    expect(outcome.stdout).toContain("Measures every Chronicle store beside its baselines")
    for (const text of [
      "--store a,b",
      "--workload a,b",
      "--quick",
      "--out FILE",
      "load-100k-snapshot",
      "append-processes",
      "bare-pg",
      "CHRONICLE_PG_URL",
      "partial.json"
    ]) {
      expect(outcome.stdout).toContain(text)
    }
    expect(outcome.stdout).not.toContain("\u001b")
  })

  it.each([
    [["--bogus"], 'bench: unknown option "--bogus"; see --help'],
    [
      ["--store", "mysql"],
      'bench: unknown --store "mysql": choose from bare, lean, sqlite, naive, memory, bare-pg, postgres; see --help'
    ]
  ])("bench %j: one line, exit code 2, nothing run", async (args, line) => {
    const outcome = await ProgramRun.pnpm(["bench", ...args])
    expect(ProgramRun.errorLines(outcome)).toEqual([line])
    expect(outcome.status).toBe(2)
    expect(ProgramRun.printed(outcome)).toBe("")
  })
})
