/**
 * Runs a command-line program: parses its arguments, prints the help, runs it, and turns its outcome into an exit
 * code. Every failure is one line on stderr, `name: what is wrong; what to do`, never a stack trace: usage errors exit
 * with 2, failures of the program with 1, an interrupted run (Ctrl-C) with 130.
 *
 * @since 0.1.0
 */
import { NodeRuntime } from "@effect/platform-node"
import { Cause, Console, Effect, Either, Exit, Option } from "effect"
import * as CommandLine from "./CommandLine.js"

/**
 * The exit code of a command line that cannot be run.
 *
 * @since 0.1.0
 * @category constants
 */
export const usageExitCode = 2

/**
 * The exit code of a program that failed.
 *
 * @since 0.1.0
 * @category constants
 */
export const failureExitCode = 1

/**
 * The exit code of a run interrupted by Ctrl-C (SIGINT) or SIGTERM.
 *
 * @since 0.1.0
 * @category constants
 */
export const interruptedExitCode = 130

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ").trim()

const messageOf = (error: unknown): string => {
  if (error instanceof Error && error.message.length > 0) return error.message
  if (typeof error === "object" && error !== null && "_tag" in error) return String(error._tag)
  return String(error)
}

/**
 * The line a failure prints: the error's own message for a failure, "unexpected failure" and its message for a defect.
 *
 * @since 0.1.0
 * @category formatting
 */
export const describe = <E>(cause: Cause.Cause<E>): string =>
  Option.match(Cause.failureOption(cause), {
    onSome: (error) => oneLine(messageOf(error)),
    onNone: () =>
      Option.match(Cause.dieOption(cause), {
        onSome: (defect) => `unexpected failure: ${oneLine(messageOf(defect))}`,
        onNone: () => "interrupted"
      })
  })

/**
 * Runs a program for the given arguments and returns its exit code, having printed the help, or one line for a
 * failure, as it went.
 *
 * @since 0.1.0
 * @category running
 */
export const exitCode = <Flags extends Record<string, CommandLine.Flag>, E>(
  spec: CommandLine.Spec<Flags>,
  args: ReadonlyArray<string>,
  program: (values: CommandLine.Values<Flags>) => Effect.Effect<void, E>
): Effect.Effect<number> => {
  const report = (line: string, code: number) => Effect.as(Console.error(`${spec.name}: ${line}`), code)
  return Either.match(CommandLine.parse(spec, args), {
    onLeft: (error) => report(error.message, usageExitCode),
    onRight: (parsed) =>
      parsed._tag === "Help"
        ? Effect.as(Console.log(CommandLine.help(spec)), 0)
        : program(parsed.values).pipe(
            Effect.as(0),
            Effect.catchAllCause((cause) => {
              const usage = Option.exists(Cause.failureOption(cause), (e) => e instanceof CommandLine.UsageError)
              return report(describe(cause), usage ? usageExitCode : failureExitCode)
            })
          )
  })
}

/**
 * Runs a program as the process: its arguments from `process.argv`, its exit code as the process's.
 *
 * @since 0.1.0
 * @category running
 */
export const main = <Flags extends Record<string, CommandLine.Flag>, E>(
  spec: CommandLine.Spec<Flags>,
  program: (values: CommandLine.Values<Flags>) => Effect.Effect<void, E>
): void => {
  // A reader that stops early (`| head`) closes the pipe: the program's output is simply no longer wanted.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0)
  })
  NodeRuntime.runMain(exitCode(spec, process.argv.slice(2), program), {
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(
        Exit.isSuccess(exit)
          ? Number(exit.value)
          : Cause.isInterruptedOnly(exit.cause)
            ? interruptedExitCode
            : failureExitCode
      )
  })
}
