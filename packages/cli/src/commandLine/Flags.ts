/**
 * The flags the commands share, and the checks of values `@effect/cli` takes as text (positions, whole numbers), so
 * that a bad value is one line that names the flag and what it needs.
 *
 * The `chronicle` bin's own module (not exported).
 */
import { Position } from "@chronicle/core"
import { Options } from "@effect/cli"
import { Either, Option, Schema } from "effect"

/** A command line that cannot be run: exit code 2. */
export class UsageError extends Schema.TaggedError<UsageError>("@chronicle/cli/UsageError")("UsageError", {
  problem: Schema.String,
  command: Schema.String
}) {
  override get message(): string {
    return `${this.problem}; see ${this.command} --help`
  }
}

/**
 * Every failure of a command, as its one line: `usage` when the command line was wrong (exit code 2), otherwise a
 * failure of the work (exit code 1). Commands turn their errors into it at their edge, so what they fail with is named
 * by this package alone.
 */
export class Failure extends Schema.TaggedError<Failure>("@chronicle/cli/Failure")("Failure", {
  line: Schema.String,
  usage: Schema.Boolean
}) {
  override get message(): string {
    return this.line
  }
}

/** Errors that are about what was typed: a flag, or an argument the store refuses (a stream id it cannot have). */
const isUsage = (error: unknown): boolean =>
  error instanceof UsageError ||
  (typeof error === "object" && error !== null && (error as { readonly _tag?: unknown })._tag === "InvalidStreamId")

/** Any error as a `Failure`: its message; a usage failure for a `UsageError` or an invalid stream id. */
export const toFailure = (error: unknown): Failure =>
  error instanceof Failure
    ? error
    : new Failure({
        line: error instanceof Error && error.message.length > 0 ? error.message : String(error),
        usage: isUsage(error)
      })

/** `--db FILE`: the SQLite database. */
export const db = Options.text("db").pipe(
  Options.withPseudoName("FILE"),
  Options.withDescription("the SQLite database file (a relative path starts in the current directory)"),
  Options.optional
)

/** `--pg URL`: the PostgreSQL database (or `CHRONICLE_PG_URL`). */
export const pg = Options.text("pg").pipe(
  Options.withPseudoName("URL"),
  Options.withDescription("the PostgreSQL database, as a postgres:// URL (default: $CHRONICLE_PG_URL)"),
  Options.optional
)

/** `--json`: one JSON value per line. */
export const json = Options.boolean("json").pipe(
  Options.withDescription("print one JSON value per line, for scripts, instead of a table")
)

/** The store flags every command takes. */
export const store = { db, pg }

/** An optional flag whose text is checked by the command (`N`, `POS`, ...). */
export const textOf = (name: string, placeholder: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName(placeholder), Options.withDescription(description), Options.optional)

const shown = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)

/** A whole number of at least `min` (and at most `max`, when given), or a usage error naming the flag. */
export const wholeNumber = (
  command: string,
  flag: string,
  value: Option.Option<string>,
  min: number,
  max?: number
): Either.Either<number | undefined, UsageError> => {
  if (Option.isNone(value)) return Either.right(undefined)
  const n = Number(value.value)
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`
  return /^\d+$/.test(value.value) && Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max)
    ? Either.right(n)
    : Either.left(
        new UsageError({
          command,
          problem: `--${flag} needs a whole number ${range}, not ${shown(value.value)}`
        })
      )
}

/** A position from its text (`Position.FromString`), or a usage error naming the flag. */
export const position = (
  command: string,
  flag: string,
  value: Option.Option<string>
): Either.Either<Position.Position | undefined, UsageError> => {
  if (Option.isNone(value)) return Either.right(undefined)
  const parsed = Position.parse(value.value)
  return parsed === undefined
    ? Either.left(
        new UsageError({
          command,
          problem: `--${flag} ${shown(value.value)} is not a position: a position is a whole number (42) or two joined by ":" (7781:42)`
        })
      )
    : Either.right(parsed)
}
