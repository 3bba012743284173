/**
 * Running a command-line program as the process, the way every Chronicle program does (the `chronicle` bin, the
 * examples, the bench): every failure is one line on stderr — the error's own message, never a stack trace — and the
 * exit code says what kind it was: 0 done, 1 failed, 2 the command line was wrong, 130 interrupted (Ctrl-C, SIGTERM).
 *
 * A long-running part that Ctrl-C ends normally (`chronicle tail --follow`) waits on `interrupted` instead of being
 * interrupted: the first Ctrl-C completes it, the program goes on to its end and exits with its own code (0); a second
 * Ctrl-C interrupts as usual.
 *
 * @since 0.1.0
 */
import { Cause, Console, Effect, Exit, Option } from "effect"

/**
 * The exit code of a program that succeeded.
 *
 * @since 0.1.0
 * @category constants
 */
export const successExitCode = 0

/**
 * The exit code of a program that failed.
 *
 * @since 0.1.0
 * @category constants
 */
export const failureExitCode = 1

/**
 * The exit code of a command line that cannot be run (an unknown flag, a missing or bad value).
 *
 * @since 0.1.0
 * @category constants
 */
export const usageExitCode = 2

/**
 * The exit code of a run interrupted by Ctrl-C (SIGINT) or SIGTERM.
 *
 * @since 0.1.0
 * @category constants
 */
export const interruptedExitCode = 130

/** ANSI colour codes (ESC, `[`, parameters, `m`). */
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")

/**
 * Text on one line: line breaks and the indentation around them become single spaces, ANSI colour codes go.
 *
 * @since 0.1.0
 * @category formatting
 */
export const oneLine = (text: string): string =>
  text
    .replace(ansi, "")
    .replace(/\s*\n\s*/g, " ")
    .trim()

const messageOf = (error: unknown): string => {
  if (error instanceof Error && error.message.length > 0) return error.message
  if (typeof error === "object" && error !== null && "_tag" in error) return String(error._tag)
  return String(error)
}

/**
 * The line a failure prints: the error's own message for a failure, "unexpected failure" and its message for a
 * defect, "interrupted" for an interruption.
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
 * Runs a program and turns its outcome into an exit code: its failure (or defect) is printed as one line,
 * `name: message`, on stderr (through Effect's `Console`), and exits with `usageExitCode` when `isUsage` says the error is about the command line,
 * `failureExitCode` otherwise. Interruption is left to the runner (`runMain`).
 *
 * @since 0.1.0
 * @category running
 */
export const exitCode = <E, R>(
  name: string,
  program: Effect.Effect<void, E, R>,
  isUsage: (error: E) => boolean = () => false
): Effect.Effect<number, never, R> =>
  program.pipe(
    Effect.as(successExitCode),
    Effect.catchAllCause((cause) => {
      if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
      const usage = Option.exists(Cause.failureOption(cause), isUsage)
      return Effect.as(Console.error(`${name}: ${describe(cause)}`), usage ? usageExitCode : failureExitCode)
    })
  )

/** Parts waiting for Ctrl-C, each resumed (once) by the next SIGINT or SIGTERM instead of an interruption. */
const waiting = new Set<() => void>()

/**
 * Completes at the first Ctrl-C (SIGINT) or SIGTERM the process receives while it waits: for a part of a program that
 * such a signal ends normally (following a live stream until the user stops it). Outside `runMain` it never completes.
 *
 * @since 0.1.0
 * @category running
 */
export const interrupted: Effect.Effect<void> = Effect.async<void>((resume) => {
  const waiter = () => resume(Effect.void)
  waiting.add(waiter)
  return Effect.sync(() => {
    waiting.delete(waiter)
  })
})

/**
 * Runs a program as the process: its exit code becomes the process's. Ctrl-C or SIGTERM first completes whatever waits
 * on `interrupted`; if nothing does (or at the second signal), it interrupts the program, which then exits with
 * `interruptedExitCode` once its finalizers ran. A reader that closes the pipe early (`| head`) ends the program
 * quietly with 0: its output is no longer wanted.
 *
 * @since 0.1.0
 * @category running
 */
export const runMain = (program: Effect.Effect<number>): void => {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(successExitCode)
  })
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1)
  const fiber = Effect.runFork(program)
  let signalled = false
  const onSignal = () => {
    if (!signalled && waiting.size > 0) {
      signalled = true
      const woken = [...waiting]
      waiting.clear()
      for (const resume of woken) resume()
      return
    }
    signalled = true
    fiber.unsafeInterruptAsFork(fiber.id())
  }
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  fiber.addObserver((exit) => {
    process.removeListener("SIGINT", onSignal)
    process.removeListener("SIGTERM", onSignal)
    clearInterval(keepAlive)
    // A program run through `exitCode` fails with nothing but interruption; anything else is still one line.
    if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) process.stderr.write(`${describe(exit.cause)}\n`)
    const code = Exit.isSuccess(exit)
      ? exit.value
      : Cause.isInterruptedOnly(exit.cause)
        ? interruptedExitCode
        : failureExitCode
    process.exitCode = code
    // After a signal, or on failure, leave now: nothing the program started is wanted any more.
    if (signalled || code !== successExitCode) process.exit(code)
  })
}
