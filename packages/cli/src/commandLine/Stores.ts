/**
 * Which store a command runs on, chosen once for every command: `--db FILE` (SQLite) or `--pg URL` /
 * `CHRONICLE_PG_URL` (PostgreSQL). A backend opens the services the commands use and reports and applies migrations;
 * the commands know nothing else of the database.
 *
 * The `chronicle` bin's own module (not exported).
 */
import { Either, Option } from "effect"
import type { Backend, StoreUnavailable } from "./Backend.js"
import { UsageError } from "./Flags.js"
import * as PostgresStore from "./PostgresStore.js"
import * as SqliteStore from "./SqliteStore.js"

/** The environment variable that names a PostgreSQL database when `--pg` is not given. */
export const pgUrlVariable = "CHRONICLE_PG_URL"

/** The backends of this build, by the flag that selects them. */
const backends = {
  db: (filename: string): Either.Either<Backend, StoreUnavailable> => Either.right(SqliteStore.backend(filename)),
  pg: (url: string): Either.Either<Backend, StoreUnavailable> =>
    Either.map(PostgresStore.parse(url), PostgresStore.backend)
}

/** The backend the flags name: `--db`, else `--pg`, else `CHRONICLE_PG_URL`; both flags, or none, are usage errors. */
export const select = (
  command: string,
  flags: { readonly db: Option.Option<string>; readonly pg: Option.Option<string> }
): Either.Either<Backend, UsageError | StoreUnavailable> => {
  if (Option.isSome(flags.db) && Option.isSome(flags.pg)) {
    return Either.left(new UsageError({ command, problem: "--db and --pg cannot be combined: choose one store" }))
  }
  if (Option.isSome(flags.db)) return backends.db(flags.db.value)
  const url = Option.orElse(flags.pg, () => Option.fromNullable(process.env[pgUrlVariable] || undefined))
  if (Option.isSome(url)) return backends.pg(url.value)
  return Either.left(
    new UsageError({
      command,
      problem: `choose a store: --db FILE (SQLite) or --pg URL (PostgreSQL, or $${pgUrlVariable})`
    })
  )
}
