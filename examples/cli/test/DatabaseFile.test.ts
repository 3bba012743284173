import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DatabaseFile } from "@chronicle/example-cli"
import { assert, describe, it } from "@effect/vitest"
import { type Console, Effect, Either, Layer } from "effect"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-database-file-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

/** A file that starts as every SQLite database does. */
const sqliteLike = (file: string) =>
  fs.writeFileSync(file, Buffer.concat([Buffer.from("SQLite format 3\u0000"), Buffer.alloc(84)]))

const failure = (filename: string, options = { fresh: false }) => Effect.flip(DatabaseFile.prepare(filename, options))

/** Runs `f` with environment variables set, restoring them after. */
const withEnv = <A>(vars: Record<string, string | undefined>, f: () => A): A => {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]))
  const set = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
  set(vars)
  try {
    return f()
  } finally {
    set(saved)
  }
}

describe("DatabaseFile.locate", () => {
  const defaults = { directory: "/repo/examples/x/.chronicle", name: "x.db" }

  it("takes --db from where pnpm was run, and the default from the example's directory", () =>
    withEnv({ INIT_CWD: "/work/here", CHRONICLE_DATA_DIR: undefined }, () => {
      assert.strictEqual(DatabaseFile.locate("data/my.db", defaults), "/work/here/data/my.db")
      assert.strictEqual(DatabaseFile.locate("/abs/my.db", defaults), "/abs/my.db")
      assert.strictEqual(DatabaseFile.locate(undefined, defaults), "/repo/examples/x/.chronicle/x.db")
    }))

  it("keeps the default file in CHRONICLE_DATA_DIR when it is set", () =>
    withEnv({ INIT_CWD: "/work/here", CHRONICLE_DATA_DIR: "/tmp/elsewhere" }, () => {
      assert.strictEqual(DatabaseFile.locate(undefined, defaults), "/tmp/elsewhere/x.db")
      assert.strictEqual(DatabaseFile.locate("mine.db", defaults), "/work/here/mine.db")
    }))
})

describe("DatabaseFile.prepare", () => {
  it.scoped("creates the directories of a new file and says it is new", () =>
    Effect.gen(function* () {
      const file = path.join(yield* tempDir, "a", "b", "new.db")
      const prepared = yield* DatabaseFile.prepare(file, { fresh: false })
      assert.deepStrictEqual(prepared, { filename: file, existed: false, deleted: false })
      assert.isTrue(fs.statSync(path.dirname(file)).isDirectory())
      assert.strictEqual(DatabaseFile.describe(prepared), `SQLite file ${file} (new)`)
    })
  )

  it.scoped("accepts an existing SQLite database, and an empty file, and says the history continues", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const database = path.join(dir, "old.db")
      sqliteLike(database)
      const prepared = yield* DatabaseFile.prepare(database, { fresh: false })
      assert.strictEqual(DatabaseFile.describe(prepared), `SQLite file ${database} (continuing its history)`)
      fs.writeFileSync(path.join(dir, "empty.db"), "")
      assert.isTrue((yield* DatabaseFile.prepare(path.join(dir, "empty.db"), { fresh: false })).existed)
    })
  )

  it.scoped("--fresh deletes the file and its journal files first", () =>
    Effect.gen(function* () {
      const file = path.join(yield* tempDir, "old.db")
      for (const suffix of ["", "-wal", "-shm"]) fs.writeFileSync(file + suffix, "x")
      const prepared = yield* DatabaseFile.prepare(file, { fresh: true })
      assert.deepStrictEqual(prepared, { filename: file, existed: false, deleted: true })
      for (const suffix of ["", "-wal", "-shm"]) assert.isFalse(fs.existsSync(file + suffix))
      assert.strictEqual(DatabaseFile.describe(prepared), `SQLite file ${file} (deleted and started over)`)
    })
  )

  it.scoped("refuses a file that is not a SQLite database, and leaves it as it was", () =>
    Effect.gen(function* () {
      const file = path.join(yield* tempDir, "notes.txt")
      fs.writeFileSync(file, "my notes")
      const error = yield* failure(file)
      assert.strictEqual(
        error.message,
        `${file} is not a SQLite database; choose another file with --db PATH (this one is left as it is)`
      )
      assert.strictEqual(fs.readFileSync(file, "utf8"), "my notes")
    })
  )

  it.scoped("refuses a directory, and a path whose parent is a file", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      assert.strictEqual(
        (yield* failure(dir)).message,
        `${dir} is a directory, not a database file; choose another file with --db PATH`
      )
      const file = path.join(dir, "file")
      fs.writeFileSync(file, "")
      assert.strictEqual(
        (yield* failure(path.join(file, "sub", "x.db"))).message,
        `cannot create ${path.join(file, "sub", "x.db")}: ${file} is a file, not a directory; choose another file with --db PATH`
      )
    })
  )
})

describe("DatabaseFile.explain", () => {
  /** How better-sqlite3's errors arrive: wrapped by the SQL client, then by the store. */
  const storeError = (code: string) => ({
    _tag: "EventStoreError",
    message: "Event store failure in append",
    cause: { _tag: "SqlError", cause: Object.assign(new Error("sqlite says no"), { code }) }
  })

  it.effect("names the file and what to do for a failure SQLite traces to it", () =>
    Effect.gen(function* () {
      const explained = (code: string) => Effect.flip(DatabaseFile.explain("/data/x.db")(Effect.fail(storeError(code))))
      assert.strictEqual(
        (yield* explained("SQLITE_READONLY")).message,
        "/data/x.db is read-only; make it writable, or choose another file with --db PATH"
      )
      assert.strictEqual(
        (yield* explained("SQLITE_READONLY_DBMOVED")).message,
        "/data/x.db is read-only; make it writable, or choose another file with --db PATH"
      )
      assert.strictEqual(
        (yield* explained("SQLITE_NOTADB")).message,
        "/data/x.db is not a SQLite database; choose another file with --db PATH"
      )
    })
  )

  it.effect("passes other failures, and successes, through unchanged", () =>
    Effect.gen(function* () {
      const other = storeError("SQLITE_CONSTRAINT_UNIQUE")
      assert.strictEqual(yield* Effect.flip(DatabaseFile.explain("/data/x.db")(Effect.fail(other))), other)
      assert.strictEqual(yield* DatabaseFile.explain("/data/x.db")(Effect.succeed(7)), 7)
    })
  )
})

describe("DatabaseFile.use", () => {
  it.scoped("checks the file, opens the store on it, names it in one line, then runs the program", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const events: Array<string> = []
      const store = (filename: string) => Layer.effectDiscard(Effect.sync(() => void events.push(`open ${filename}`)))
      const base = yield* Effect.console
      const console: Console.Console = {
        ...base,
        log: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void events.push(parts.join(" ")))
      }
      const run = (db: string) =>
        DatabaseFile.use({ db, fresh: false }, { directory: dir, name: "d.db" }, store, Effect.succeed("ran")).pipe(
          Effect.withConsole(console),
          Effect.either
        )
      const file = path.join(dir, "x.db")
      assert.deepStrictEqual(yield* run(file), Either.right("ran"))
      assert.deepStrictEqual(events, [`open ${file}`, `Store: SQLite file ${file} (new)`])
      fs.writeFileSync(path.join(dir, "bad.db"), "not sqlite")
      const refused = yield* run(path.join(dir, "bad.db"))
      assert.isTrue(Either.isLeft(refused) && refused.left._tag === "DatabaseFileError")
      assert.strictEqual(events.length, 2)
    })
  )
})
