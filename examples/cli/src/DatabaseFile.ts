/**
 * The SQLite file an example keeps its events in. Where it is: `--db PATH` (a relative path starts where pnpm runs,
 * the repository root), or the example's default file, whose directory `CHRONICLE_DATA_DIR` moves. Starting over:
 * `--fresh` deletes it first. And the checks that turn an unusable path into one `DatabaseFileError` before a store
 * opens it — a directory, a parent that is a file, a directory the program may not write, a file that is not a SQLite
 * database, a database it may not write — so a program never prints a word about a store it cannot open. A store
 * failure that still comes from the file (SQLite's `SQLITE_READONLY`, `SQLITE_NOTADB`, ...) becomes the same error
 * through `explain`.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Console, Effect, type Layer, Schema } from "effect"
import * as CommandLine from "./CommandLine.js"

/**
 * A database file that cannot be used: what is wrong with it, and what to do.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatabaseFileError extends Schema.TaggedError<DatabaseFileError>(
  "@chronicle/example-cli/DatabaseFileError"
)("DatabaseFileError", { filename: Schema.String, problem: Schema.String, remedy: Schema.String }) {
  override get message(): string {
    return `${this.problem}; ${this.remedy}`
  }
}

/**
 * The `--db PATH` and `--fresh` flags, with the default file named in the help.
 *
 * @since 0.1.0
 * @category flags
 */
export const flags = (defaultFile: string) =>
  ({
    db: CommandLine.text("PATH", `the SQLite database file, created if missing (default: ${defaultFile})`),
    fresh: CommandLine.toggle("delete the database file first and start over")
  }) as const

/**
 * The file to use: `--db`'s, or `name` in the example's `.chronicle` directory (`CHRONICLE_DATA_DIR` if set).
 *
 * @since 0.1.0
 * @category location
 */
export const locate = (db: string | undefined, defaults: { readonly directory: string; readonly name: string }) =>
  db === undefined
    ? path.resolve(CommandLine.baseDirectory(), process.env.CHRONICLE_DATA_DIR ?? defaults.directory, defaults.name)
    : path.resolve(CommandLine.baseDirectory(), db)

/**
 * A database file that passed the checks: whether it held a database already, and whether `--fresh` deleted one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Prepared {
  readonly filename: string
  readonly existed: boolean
  readonly deleted: boolean
}

const otherFile = "choose another file with --db PATH"
const sqliteHeader = "SQLite format 3\u0000"

const writable = (target: string) => {
  try {
    fs.accessSync(target, fs.constants.W_OK)
    return true
  } catch {
    return false
  }
}

const headerOf = (filename: string) => {
  const buffer = Buffer.alloc(sqliteHeader.length)
  const fd = fs.openSync(filename, "r")
  try {
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString("latin1")
  } finally {
    fs.closeSync(fd)
  }
}

/** What is at a path, or nothing (also when a parent is a file). */
const statOf = (target: string): fs.Stats | undefined => {
  try {
    return fs.statSync(target)
  } catch {
    return undefined
  }
}

/** The closest ancestor of `dir` that exists (or `dir` itself). */
const existingAncestor = (dir: string): string => {
  let current = dir
  while (statOf(current) === undefined && path.dirname(current) !== current) current = path.dirname(current)
  return current
}

const check = (filename: string, fresh: boolean): Prepared => {
  const fail = (problem: string, remedy = otherFile) => {
    throw new DatabaseFileError({ filename, problem, remedy })
  }
  const dir = path.dirname(filename)
  if (statOf(filename)?.isDirectory()) fail(`${filename} is a directory, not a database file`)
  const ancestor = existingAncestor(dir)
  if (statOf(ancestor)?.isDirectory() !== true)
    fail(`cannot create ${filename}: ${ancestor} is a file, not a directory`)
  if (!writable(ancestor)) {
    fail(
      ancestor === dir
        ? `cannot write in ${dir} (SQLite keeps its journal files beside the database)`
        : `cannot create ${dir}: ${ancestor} is not writable`,
      `make it writable, or ${otherFile}`
    )
  }
  let deleted = false
  if (fresh) {
    for (const suffix of ["", "-wal", "-shm"]) {
      if (fs.existsSync(filename + suffix)) deleted = true
      fs.rmSync(filename + suffix, { force: true })
    }
  }
  const existed = fs.existsSync(filename)
  if (existed) {
    if (fs.statSync(filename).size > 0 && headerOf(filename) !== sqliteHeader) {
      fail(`${filename} is not a SQLite database`, `${otherFile} (this one is left as it is)`)
    }
    if (!writable(filename)) fail(`${filename} is read-only`, `make it writable, or ${otherFile}`)
  }
  fs.mkdirSync(dir, { recursive: true })
  return { filename, existed, deleted }
}

/**
 * Checks a database file before a store opens it, deleting it first for `--fresh` and creating its directory.
 *
 * @since 0.1.0
 * @category checks
 */
export const prepare = (
  filename: string,
  options: { readonly fresh: boolean }
): Effect.Effect<Prepared, DatabaseFileError> =>
  Effect.try({
    try: () => check(filename, options.fresh),
    catch: (cause) =>
      cause instanceof DatabaseFileError
        ? cause
        : new DatabaseFileError({
            filename,
            problem: `cannot use ${filename}: ${cause instanceof Error ? cause.message : String(cause)}`,
            remedy: otherFile
          })
  })

/**
 * How the store line names a prepared file: new, started over, or continuing its history.
 *
 * @since 0.1.0
 * @category formatting
 */
export const describe = (prepared: Prepared): string =>
  `SQLite file ${prepared.filename} (${prepared.deleted ? "deleted and started over" : prepared.existed ? "continuing its history" : "new"})`

const sqliteProblems: ReadonlyArray<readonly [string, string, string]> = [
  ["SQLITE_READONLY", "is read-only", `make it writable, or ${otherFile}`],
  ["SQLITE_NOTADB", "is not a SQLite database", otherFile],
  ["SQLITE_CORRUPT", "is damaged (SQLite finds it corrupt)", `restore it from a copy, or ${otherFile}`],
  ["SQLITE_CANTOPEN", "cannot be opened", `check that it and its directory may be written, or ${otherFile}`],
  ["SQLITE_FULL", "cannot grow: the disk is full", "free some space"],
  ["SQLITE_BUSY", "is locked by another process", "let that process finish, then run this again"],
  ["SQLITE_PERM", "may not be written", `check its permissions, or ${otherFile}`]
]

/** SQLite's result code in an error or its causes (`SQLITE_READONLY_DBMOVED`, ...), if any. */
const sqliteCode = (error: unknown): string | undefined => {
  let current = error
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { readonly code?: unknown }).code
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code
    current = (current as { readonly cause?: unknown }).cause
  }
  return undefined
}

/**
 * Turns a failure that SQLite traces to the database file into a `DatabaseFileError` naming it and what to do;
 * other failures pass unchanged.
 *
 * @since 0.1.0
 * @category checks
 */
export const explain =
  (filename: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | DatabaseFileError, R> =>
    Effect.catchAll(self, (error): Effect.Effect<never, E | DatabaseFileError> => {
      const code = sqliteCode(error)
      const known = sqliteProblems.find(([prefix]) => code === prefix || code?.startsWith(`${prefix}_`))
      return known === undefined
        ? Effect.fail(error)
        : Effect.fail(new DatabaseFileError({ filename, problem: `${filename} ${known[1]}`, remedy: known[2] }))
    })

/**
 * Runs a program on the file the flags name: checks it (deleting it first for `--fresh`), opens the store that
 * `store` builds on it, prints one line naming the file, then runs the program. A file that cannot be used fails with
 * `DatabaseFileError` before the store opens, and a store failure that comes from the file becomes one.
 *
 * @since 0.1.0
 * @category running
 */
export const use = <A, E, R, StoreError>(
  values: { readonly db: string | undefined; readonly fresh: boolean },
  defaults: { readonly directory: string; readonly name: string },
  store: (filename: string) => Layer.Layer<R, StoreError>,
  program: Effect.Effect<A, E, R>
): Effect.Effect<A, E | StoreError | DatabaseFileError> => {
  const filename = locate(values.db, defaults)
  return prepare(filename, { fresh: values.fresh }).pipe(
    Effect.flatMap((prepared) =>
      Console.log(`Store: ${describe(prepared)}`).pipe(Effect.zipRight(program), Effect.provide(store(filename)))
    ),
    explain(filename)
  )
}
