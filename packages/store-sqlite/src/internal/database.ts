/**
 * A better-sqlite3 database the store opens and owns. It serves two users of the one connection:
 *
 * - the engine, whose bodies run as plain synchronous better-sqlite3 calls on statements prepared once (one Effect
 *   per append or read, not one per statement); its writes go through the group writer (`groupCommit.ts`);
 * - the application, through an `@effect/sql` `SqliteClient` over the same connection (`client.ts`).
 *
 * Exclusion: a synchronous body cannot interleave with anything else in the process. It only has to wait while a
 * client transaction is open (`db.inTransaction`): then it joins it when it runs inside it (a savepoint, not grouped),
 * and otherwise waits for the client's semaphore, which that transaction holds until it ends.
 *
 * @since 0.1.0
 * @internal
 */
import * as Client from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import Sqlite from "better-sqlite3"
import { Effect, type Either, Option, type Scope } from "effect"
import {
  type Access,
  type Body,
  immediate,
  type Lone,
  retryBusy,
  runBody,
  type SyncSql,
  savepoint,
  toSqlError,
  transact
} from "./access.js"
import * as ApplicationClient from "./client.js"
import { isBusy } from "./dialect.js"
import * as GroupCommit from "./groupCommit.js"

/**
 * An open database: the client for the application and the engine's access.
 *
 * @since 0.1.0
 * @internal
 */
export interface Database {
  readonly client: SqliteClient.SqliteClient
  readonly access: Access
}

/** Statements prepared once per text, in the result shapes the engine uses. */
const preparedStatements = (db: Sqlite.Database): SyncSql => {
  const arrays = new Map<string, Sqlite.Statement>()
  const values = new Map<string, Sqlite.Statement>()
  const runs = new Map<string, Sqlite.Statement>()
  const prepare = (cache: Map<string, Sqlite.Statement>, text: string, mode: "arrays" | "values" | "run") => {
    let statement = cache.get(text)
    if (statement === undefined) {
      statement = db.prepare(text)
      if (mode === "arrays" && statement.reader) statement.raw(true)
      if (mode === "values" && statement.reader) statement.pluck(true)
      cache.set(text, statement)
    }
    return statement
  }
  return {
    // An array binds its elements as the anonymous parameters, without spreading a batch's 900 into arguments.
    rows: (text, params) => prepare(arrays, text, "arrays").all(params) as ReadonlyArray<ReadonlyArray<unknown>>,
    value: (text, params) => prepare(values, text, "values").get(params),
    insert: (text, params) => Number(prepare(runs, text, "run").run(params).lastInsertRowid),
    exec: (text) => {
      prepare(runs, text, "run").run()
    }
  }
}

const transactionStatements = (db: Sqlite.Database, sql: SyncSql): GroupCommit.Connection => {
  const begin = db.prepare(immediate.begin)
  const commit = db.prepare("COMMIT")
  const rollback = db.prepare("ROLLBACK")
  const open = db.prepare("SAVEPOINT chronicle_group")
  const release = db.prepare("RELEASE chronicle_group")
  const rollbackTo = db.prepare("ROLLBACK TO chronicle_group")
  return {
    sql,
    inTransaction: () => db.inTransaction,
    begin: () => begin.run(),
    commit: () => commit.run(),
    rollback: () => {
      if (db.inTransaction) rollback.run()
    },
    savepoint: () => open.run(),
    release: () => release.run(),
    rollbackToSavepoint: () => {
      rollbackTo.run()
      release.run()
    }
  }
}

/**
 * Opens the database (WAL journal, the given `synchronous` level and busy timeout), closed when the scope closes.
 *
 * @since 0.1.0
 * @internal
 */
export const open = (options: {
  readonly filename: string
  readonly busyTimeoutMillis: number
  /** A `synchronous` level, checked by the caller. */
  readonly synchronous: "OFF" | "NORMAL" | "FULL" | "EXTRA"
}): Effect.Effect<Database, SqlError, Scope.Scope> =>
  Effect.gen(function* () {
    const db = yield* Effect.acquireRelease(
      Effect.try({
        try: () => {
          const db = new Sqlite(options.filename, { timeout: options.busyTimeoutMillis })
          try {
            db.pragma("journal_mode = WAL")
            // Set explicitly: left to SQLite, a new WAL database runs FULL until its first write, a reopened one NORMAL.
            db.pragma(`synchronous = ${options.synchronous}`)
          } catch (error) {
            db.close()
            throw error
          }
          return db
        },
        catch: (cause) => ApplicationClient.failed(cause, `Failed to open SQLite database ${options.filename}`)
      }),
      (db) => Effect.sync(() => db.close())
    )
    const semaphore = yield* Effect.makeSemaphore(1)
    const { client, connection } = yield* ApplicationClient.make({ db, filename: options.filename, semaphore })
    const sync = preparedStatements(db)

    const listeners: Array<() => void> = []
    const writer = GroupCommit.make({
      connection: transactionStatements(db, sync),
      whenFree: (run) => {
        Effect.runFork(semaphore.withPermits(1)(Effect.sync(run)))
      },
      onCommit: () => {
        for (const listener of listeners) listener()
      }
    })
    yield* Effect.addFinalizer(() => Effect.sync(writer.close))

    /** While a client transaction is open: join it from inside, otherwise wait until it has ended. */
    const exclusive = <A, E>(run: () => Either.Either<A, E>, joined: () => Either.Either<A, E>) =>
      Effect.flatMap(Effect.serviceOption(Client.TransactionConnection), (outer) =>
        Option.isSome(outer) && outer.value[0] === connection
          ? runBody(joined)
          : semaphore.withPermits(1)(
              Effect.suspend(() =>
                db.inTransaction
                  ? Effect.fail(
                      ApplicationClient.failed(
                        undefined,
                        "A transaction was left open outside SqlClient.withTransaction"
                      )
                    )
                  : runBody(run)
              )
            )
      )

    const write = <A, E>(body: Body<A, E>, oneStatement?: boolean, lone?: Lone<A, E>): Effect.Effect<A, E | SqlError> =>
      Effect.suspend(() => {
        if (!db.inTransaction) return writer.write(body, oneStatement, lone)
        const written = retryBusy(
          exclusive(
            () => transact(sync, body, immediate),
            () => transact(sync, body, savepoint)
          )
        )
        return Effect.tap(written, () => {
          for (const listener of listeners) listener()
        })
      })

    const read = <A, E>(body: Body<A, E>): Effect.Effect<A, E | SqlError> =>
      Effect.suspend((): Effect.Effect<A, E | SqlError> => {
        if (!db.inTransaction) {
          try {
            return body(sync)
          } catch (error) {
            if (!isBusy(error)) return Effect.fail(toSqlError(error))
          }
        }
        const run = () => body(sync)
        return retryBusy(Effect.suspend(() => (db.inTransaction ? exclusive(run, run) : runBody(run))))
      })

    const access: Access = {
      write,
      read,
      onCommit: (listener) => {
        listeners.push(listener)
      }
    }
    return { client, access }
  })
