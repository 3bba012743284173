import { Program as Exit } from "@chronicle/cli"
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

  const failures: ReadonlyArray<
    readonly [string, ReadonlyArray<string>, Effect.Effect<void, unknown>, number, string]
  > = [
    [
      "a usage error: one line naming the program, exit code 2",
      ["--bogus"],
      Effect.die("must not run"),
      Exit.usageExitCode,
      'demo: unknown option "--bogus"; see --help'
    ],
    [
      "a failure: its message on one line, exit code 1",
      [],
      Effect.fail(new Refused({ reason: "the file is\nread-only" })),
      Exit.failureExitCode,
      "demo: refused: the file is read-only"
    ],
    [
      "a usage error raised by the program itself: exit code 2",
      [],
      Effect.fail(new CommandLine.UsageError({ problem: "--db PATH is a directory" })),
      Exit.usageExitCode,
      "demo: --db PATH is a directory; see --help"
    ],
    [
      "a defect: one line, not a stack trace, exit code 1",
      [],
      Effect.die(new TypeError("Cannot read properties of null")),
      Exit.failureExitCode,
      "demo: unexpected failure: Cannot read properties of null"
    ]
  ]
  for (const [name, args, program, code, line] of failures) {
    it.effect(`answers ${name}`, () =>
      Effect.gen(function* () {
        assert.deepStrictEqual(yield* outcome(args, program), { code, stdout: [], stderr: [line] })
      })
    )
  }
})
