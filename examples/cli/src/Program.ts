/**
 * Runs an example program: parses its arguments (`CommandLine`), prints the help, runs it, and turns its outcome into
 * an exit code — with `@chronicle/cli`'s `Program`, the one implementation of Chronicle's one-line errors and exit
 * codes: every failure is one line on stderr, `name: what is wrong; what to do`, never a stack trace; usage errors exit
 * with 2, failures of the program with 1, an interrupted run (Ctrl-C) with 130.
 *
 * @since 0.1.0
 */
import { Program } from "@chronicle/cli"
import { Console, Effect, Either } from "effect"
import * as CommandLine from "./CommandLine.js"

/**
 * Runs a program for the given arguments and returns its exit code, having printed the help, or one line for a
 * failure, as it went. A `CommandLine.UsageError`, from the parser or from the program, exits with 2.
 *
 * @since 0.1.0
 * @category running
 */
export const exitCode = <Flags extends Record<string, CommandLine.Flag>, E>(
  spec: CommandLine.Spec<Flags>,
  args: ReadonlyArray<string>,
  program: (values: CommandLine.Values<Flags>) => Effect.Effect<void, E>
): Effect.Effect<number> =>
  Either.match(CommandLine.parse(spec, args), {
    onLeft: (error) => Program.exitCode(spec.name, Effect.fail(error), () => true),
    onRight: (parsed) =>
      parsed._tag === "Help"
        ? Effect.as(Console.log(CommandLine.help(spec)), Program.successExitCode)
        : Program.exitCode(spec.name, program(parsed.values), (error) => error instanceof CommandLine.UsageError)
  })

/**
 * Runs a program as the process: its arguments from `process.argv`, its exit code as the process's.
 *
 * @since 0.1.0
 * @category running
 */
export const main = <Flags extends Record<string, CommandLine.Flag>, E>(
  spec: CommandLine.Spec<Flags>,
  program: (values: CommandLine.Values<Flags>) => Effect.Effect<void, E>
): void => Program.runMain(exitCode(spec, process.argv.slice(2), program))
