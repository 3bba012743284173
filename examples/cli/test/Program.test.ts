import { CommandLine, Program } from "@chronicle/example-cli"
import { assert, describe, it } from "@effect/vitest"
import { type Console, Effect, Schema } from "effect"

const spec = CommandLine.make({
  name: "demo",
  usage: "demo [--fresh]",
  summary: "Shows how things work.",
  flags: { fresh: CommandLine.toggle("start over") }
})

class Refused extends Schema.TaggedError<Refused>()("Refused", { reason: Schema.String }) {
  override get message(): string {
    return `refused:\n  ${this.reason}`
  }
}

/** Runs a program for `args` and returns its exit code and what it printed on stdout and stderr. */
const outcome = <E>(args: ReadonlyArray<string>, program: Effect.Effect<void, E> = Effect.void) =>
  Effect.gen(function* () {
    const stdout: Array<string> = []
    const stderr: Array<string> = []
    const base = yield* Effect.console
    const console: Console.Console = {
      ...base,
      log: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void stdout.push(parts.join(" "))),
      error: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void stderr.push(parts.join(" ")))
    }
    const code = yield* Program.exitCode(spec, args, () => program).pipe(Effect.withConsole(console))
    return { code, stdout, stderr }
  })

describe("Program.exitCode", () => {
  it.effect("runs the program and exits with 0", () =>
    Effect.gen(function* () {
      let ran = false
      const result = yield* outcome(
        ["--fresh"],
        Effect.sync(() => {
          ran = true
        })
      )
      assert.deepStrictEqual(result, { code: 0, stdout: [], stderr: [] })
      assert.isTrue(ran)
    })
  )

  it.effect("prints the help on stdout, runs nothing, and exits with 0", () =>
    Effect.gen(function* () {
      const result = yield* outcome(["--help"], Effect.die("must not run"))
      assert.deepStrictEqual(result, { code: 0, stdout: [CommandLine.help(spec)], stderr: [] })
    })
  )

  it.effect("answers a usage error with one line naming the program, and exit code 2", () =>
    Effect.gen(function* () {
      const result = yield* outcome(["--bogus"], Effect.die("must not run"))
      assert.deepStrictEqual(result, {
        code: Program.usageExitCode,
        stdout: [],
        stderr: ['demo: unknown option "--bogus"; see --help']
      })
    })
  )

  it.effect("answers a failure with its message on one line, and exit code 1", () =>
    Effect.gen(function* () {
      const result = yield* outcome([], Effect.fail(new Refused({ reason: "the file is\nread-only" })))
      assert.deepStrictEqual(result, {
        code: Program.failureExitCode,
        stdout: [],
        stderr: ["demo: refused: the file is read-only"]
      })
    })
  )

  it.effect("answers a usage error raised by the program itself with exit code 2", () =>
    Effect.gen(function* () {
      const result = yield* outcome(
        [],
        Effect.fail(new CommandLine.UsageError({ problem: "--db PATH is a directory" }))
      )
      assert.deepStrictEqual(result.code, Program.usageExitCode)
      assert.deepStrictEqual(result.stderr, ["demo: --db PATH is a directory; see --help"])
    })
  )

  it.effect("answers a defect with one line, not a stack trace", () =>
    Effect.gen(function* () {
      const result = yield* outcome([], Effect.die(new TypeError("Cannot read properties of null")))
      assert.deepStrictEqual(result, {
        code: Program.failureExitCode,
        stdout: [],
        stderr: ["demo: unexpected failure: Cannot read properties of null"]
      })
    })
  )
})
