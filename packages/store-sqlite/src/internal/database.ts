/**
 * A better-sqlite3 database the store opens and owns. It serves two users of the one connection:
 *
 * - the engine, whose bodies run as plain synchronous better-sqlite3 calls on prepared statements (one Effect per
 *   append or read, not one per statement);
 * - the application, through an `@effect/sql` `SqliteClient` over the same connection (as `SqliteClient.layer`
 *   builds it, except that its transactions begin with `BEGIN IMMEDIATE`).
 *
 * Exclusion: a synchronous body cannot interleave with anything else in the process. It only has to wait while a
 * client transaction is open (`db.inTransaction`): then it joins it when it runs inside it (a savepoint), and
 * otherwise waits for the client's semaphore, which that transaction holds until it ends.
 *
 * @since 0.1.0
 * @internal
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as Client from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import * as Statement from "@effect/sql/Statement"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import Sqlite from "better-sqlite3"
import { Context, Effect, type Either, Option, Scope } from "effect"
import type { Synchronous } from "../SqliteEventStore.js"
import { type Access, immediate, retryBusy, runSync, type SyncSql, savepoint, transact } from "./access.js"

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

const statementCache = (db: Sqlite.Database, capacity: number) => {
  const cache = new Map<string, Sqlite.Statement>()
  return (text: string): Sqlite.Statement => {
    let statement = cache.get(text)
    if (statement === undefined) {
      statement = db.prepare(text)
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!)
    } else {
      cache.delete(text)
    }
    cache.set(text, statement)
    return statement
  }
}

const failed = (cause: unknown, message: string) => new SqlError({ cause, message })

/**
 * Opens the database (WAL journal, the given `synchronous` level and busy timeout), closed when the scope closes.
 *
 * @since 0.1.0
 * @internal
 */
export const open = (options: {
  readonly filename: string
  readonly busyTimeoutMillis: number
  readonly synchronous: Synchronous
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
        catch: (cause) => failed(cause, `Failed to open SQLite database ${options.filename}`)
      }),
      (db) => Effect.sync(() => db.close())
    )

    // The engine's statements: a fixed set of texts, prepared once.
    const prepared = new Map<string, Sqlite.Statement>()
    const statement = (text: string) => {
      let statement = prepared.get(text)
      if (statement === undefined) {
        statement = db.prepare(text)
        prepared.set(text, statement)
      }
      return statement
    }
    const sync: SyncSql = {
      all: (text, params) => {
        const prepared = statement(text)
        if (prepared.reader) return prepared.all(...params)
        prepared.run(...params)
        return []
      },
      insert: (text, params) => Number(statement(text).run(...params).lastInsertRowid)
    }

    // The application's statements, as SqliteClient runs them.
    const prepare = statementCache(db, 200)
    const runStatement = (text: string, params: ReadonlyArray<unknown>, raw: boolean) =>
      Effect.withFiberRuntime<ReadonlyArray<unknown> | unknown, SqlError>((fiber) => {
        try {
          const statement = prepare(text)
          statement.safeIntegers(Context.get(fiber.currentContext, Client.SafeIntegers))
          if (statement.reader) return Effect.succeed(statement.all(...params))
          const result = statement.run(...params)
          return Effect.succeed(raw ? result : [])
        } catch (cause) {
          return Effect.fail(failed(cause, "Failed to execute statement"))
        }
      })
    const connection: Connection = {
      execute: (text, params, transformRows) => {
        const rows = runStatement(text, params, false) as Effect.Effect<ReadonlyArray<object>, SqlError>
        return transformRows === undefined ? rows : Effect.map(rows, transformRows)
      },
      executeRaw: (text, params) => runStatement(text, params, true),
      executeValues: (text, params) =>
        Effect.try({
          try: () => {
            const statement = prepare(text)
            if (!statement.reader) {
              statement.run(...params)
              return []
            }
            statement.raw(true)
            try {
              return statement.all(...params) as ReadonlyArray<ReadonlyArray<unknown>>
            } finally {
              statement.raw(false)
            }
          },
          catch: (cause) => failed(cause, "Failed to execute statement")
        }),
      executeUnprepared: (text, params, transformRows) => {
        const rows = Effect.try({
          try: () => {
            const statement = db.prepare(text)
            if (statement.reader) return statement.all(...(params ?? [])) as ReadonlyArray<object>
            statement.run(...(params ?? []))
            return []
          },
          catch: (cause) => failed(cause, "Failed to execute statement")
        })
        return transformRows === undefined ? rows : Effect.map(rows, transformRows)
      },
      executeStream: () => Effect.dieMessage("executeStream not implemented")
    }

    const semaphore = yield* Effect.makeSemaphore(1)
    const acquirer = semaphore.withPermits(1)(Effect.succeed(connection))
    const transactionAcquirer = Effect.uninterruptibleMask((restore) =>
      Effect.as(
        Effect.zipRight(
          restore(semaphore.take(1)),
          Effect.tap(Effect.scope, (scope) => Scope.addFinalizer(scope, semaphore.release(1)))
        ),
        connection
      )
    )
    const sqlClient = yield* Client.make({
      acquirer,
      transactionAcquirer,
      compiler: Statement.makeCompilerSqlite(),
      spanAttributes: [["db.system.name", "sqlite"]],
      beginTransaction: "BEGIN IMMEDIATE"
    }).pipe(Effect.provide(Reactivity.layer))
    const client = Object.assign(sqlClient, {
      [SqliteClient.TypeId]: SqliteClient.TypeId,
      config: { filename: options.filename },
      export: semaphore.withPermits(1)(
        Effect.try({ try: () => db.serialize(), catch: (cause) => failed(cause, "Failed to export database") })
      ),
      backup: (destination: string) =>
        semaphore.withPermits(1)(
          Effect.tryPromise({ try: () => db.backup(destination), catch: (cause) => failed(cause, "Failed to backup") })
        ),
      loadExtension: (path: string) =>
        semaphore.withPermits(1)(
          Effect.try({ try: () => db.loadExtension(path), catch: (cause) => failed(cause, "Failed to load extension") })
        )
    }) as unknown as SqliteClient.SqliteClient

    const exclusive = <A, E>(run: () => Either.Either<A, E>, joined: () => Either.Either<A, E>) =>
      Effect.suspend((): Effect.Effect<A, E | SqlError> => {
        if (!db.inTransaction) return runSync(run)
        return Effect.flatMap(Effect.serviceOption(Client.TransactionConnection), (outer) =>
          Option.isSome(outer) && outer.value[0] === connection
            ? runSync(joined)
            : semaphore.withPermits(1)(
                Effect.suspend(() =>
                  db.inTransaction
                    ? Effect.fail(failed(undefined, "A transaction was left open outside SqlClient.withTransaction"))
                    : runSync(run)
                )
              )
        )
      })

    const access: Access = {
      write: (body) =>
        retryBusy(
          exclusive(
            () => transact(sync, body, immediate),
            () => transact(sync, body, savepoint)
          )
        ),
      read: (body) => {
        const run = () => body(sync)
        return retryBusy(exclusive(run, run))
      }
    }

    return { client, access }
  })
