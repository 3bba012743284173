/**
 * Where an example keeps its events: a SQLite file (`--db PATH`, `--fresh`, or the example's default file; see
 * `DatabaseFile`) or a PostgreSQL database (`--pg URL`, or the URL in `CHRONICLE_PG_URL` when no SQLite flag is
 * given). The one place the examples choose their store, print the line that names it, and turn a database they
 * cannot use into one line that says what to do.
 *
 * @since 0.1.0
 */
import { Console, Effect, type Layer, Predicate, Schema } from "effect"
import * as CommandLine from "./CommandLine.js"
import * as DatabaseFile from "./DatabaseFile.js"

/**
 * The environment variable that puts the examples on PostgreSQL, as `--pg` does.
 *
 * @since 0.1.0
 * @category constants
 */
export const pgVariable = "CHRONICLE_PG_URL"

/**
 * The flags: `--db PATH` and `--fresh` (a SQLite file), and `--pg URL`.
 *
 * @since 0.1.0
 * @category flags
 */
export const flags = (defaultFile: string) =>
  ({
    ...DatabaseFile.flags(defaultFile),
    pg: CommandLine.text("URL", `run on the PostgreSQL database at URL instead (default: ${pgVariable}, when set)`)
  }) as const

/**
 * The pairs of flags that cannot go together, and why.
 *
 * @since 0.1.0
 * @category flags
 */
export const exclusive: ReadonlyArray<readonly ["pg", "db" | "fresh", string]> = [
  ["pg", "db", "--pg names a PostgreSQL database, --db a SQLite file"],
  ["pg", "fresh", "--fresh deletes a SQLite file; to start over on PostgreSQL, give an empty database"]
]

/**
 * The help's note on `CHRONICLE_PG_URL`.
 *
 * @since 0.1.0
 * @category flags
 */
export const note = `${pgVariable}=URL runs on PostgreSQL as --pg URL does, unless another store is asked for.`

/**
 * The flags' values.
 *
 * @since 0.1.0
 * @category models
 */
export interface Values {
  readonly db: string | undefined
  readonly fresh: boolean
  readonly pg: string | undefined
}

/**
 * The store the flags (and the environment) choose.
 *
 * @since 0.1.0
 * @category models
 */
export type Choice =
  | { readonly _tag: "Sqlite"; readonly values: Values }
  | { readonly _tag: "Postgres"; readonly url: string; readonly from: "--pg" | typeof pgVariable }

/**
 * Chooses the store: `--pg`, else `--db` or `--fresh` (SQLite), else `CHRONICLE_PG_URL` when set, else the default
 * SQLite file.
 *
 * @since 0.1.0
 * @category choosing
 */
export const choose = (values: Values, env: Readonly<Record<string, string | undefined>> = process.env): Choice => {
  if (values.pg !== undefined) return { _tag: "Postgres", url: values.pg, from: "--pg" }
  const fromEnv = env[pgVariable]
  if (values.db === undefined && !values.fresh && fromEnv !== undefined && fromEnv !== "") {
    return { _tag: "Postgres", url: fromEnv, from: pgVariable }
  }
  return { _tag: "Sqlite", values }
}

/**
 * Checks that a URL is a PostgreSQL one (`postgres://` or `postgresql://`), naming where it came from when not.
 *
 * @since 0.1.0
 * @category choosing
 */
export const checkUrl = (url: string, from: string): Effect.Effect<string, CommandLine.UsageError> => {
  let protocol: string | undefined
  try {
    protocol = new URL(url).protocol
  } catch {
    protocol = undefined
  }
  return protocol === "postgres:" || protocol === "postgresql:"
    ? Effect.succeed(url)
    : Effect.fail(
        new CommandLine.UsageError({
          problem: `${from} needs a PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DATABASE, not ${JSON.stringify(url.length > 60 ? `${url.slice(0, 60)}…` : url)}`
        })
      )
}

/**
 * A PostgreSQL URL as it may be shown: without its password.
 *
 * @since 0.1.0
 * @category formatting
 */
export const shown = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.password !== "") parsed.password = "***"
    return parsed.toString()
  } catch {
    return "(a URL that does not parse)"
  }
}

/**
 * A PostgreSQL database that cannot be used: what is wrong, and what to do.
 *
 * @since 0.1.0
 * @category errors
 */
export class PostgresError extends Schema.TaggedError<PostgresError>("@chronicle/example-cli/PostgresError")(
  "PostgresError",
  { url: Schema.String, problem: Schema.String, remedy: Schema.String }
) {
  override get message(): string {
    return `${this.problem}; ${this.remedy}`
  }
}

const causeOf = (error: unknown): string => {
  const cause = Predicate.hasProperty(error, "cause") ? error.cause : error
  return cause instanceof Error ? cause.message : String(cause)
}

/**
 * Turns a store that could not connect to its server (a `StorageError` of `EventStore.connect`) into a
 * `PostgresError` naming the database and what to do; other failures pass unchanged.
 *
 * @since 0.1.0
 * @category checks
 */
export const explain =
  (url: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | PostgresError, R> =>
    Effect.catchAll(
      self,
      (error): Effect.Effect<never, E | PostgresError> =>
        Predicate.isTagged(error, "StorageError") &&
        Predicate.hasProperty(error, "operation") &&
        error.operation === "EventStore.connect"
          ? Effect.fail(
              new PostgresError({
                url,
                problem: `cannot use PostgreSQL at ${shown(url)}: ${causeOf(error)}`,
                remedy: "check the URL (--pg URL or CHRONICLE_PG_URL), and that the server is running"
              })
            )
          : Effect.fail(error)
    )

/**
 * How each store is built: on a SQLite file, or on a PostgreSQL database.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stores<R, SqliteError, PostgresError> {
  readonly sqlite: (filename: string) => Layer.Layer<R, SqliteError>
  readonly postgres: (url: string) => Layer.Layer<R, PostgresError>
}

/**
 * Runs a program on the store the flags choose, after one line naming it: a SQLite file as `DatabaseFile.use` does
 * (its checks, `--fresh`, one line for a file it cannot use), or a PostgreSQL database (one line for a server it
 * cannot reach).
 *
 * @since 0.1.0
 * @category running
 */
export const use = <A, E, R, SE, PE>(
  values: Values,
  defaults: { readonly directory: string; readonly name: string },
  stores: Stores<R, SE, PE>,
  program: Effect.Effect<A, E, R>
): Effect.Effect<A, E | SE | PE | DatabaseFile.DatabaseFileError | PostgresError | CommandLine.UsageError> => {
  const choice = choose(values)
  if (choice._tag === "Sqlite") return DatabaseFile.use(values, defaults, stores.sqlite, program)
  return Effect.flatMap(checkUrl(choice.url, choice.from), (url) =>
    Console.log(`Store: PostgreSQL database ${shown(url)}`).pipe(
      Effect.zipRight(program),
      Effect.provide(stores.postgres(url)),
      explain(url)
    )
  )
}
