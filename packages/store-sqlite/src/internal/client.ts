/**
 * The application's `@effect/sql` `SqliteClient` over a better-sqlite3 connection the store owns: as
 * `SqliteClient.layer` builds it, except that its transactions begin with `BEGIN IMMEDIATE`. Its statements and
 * transactions take the connection's semaphore, which a transaction holds until it ends.
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
import type Sqlite from "better-sqlite3"
import { Context, Effect, Scope } from "effect"

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

/**
 * Wraps an error of the driver.
 *
 * @since 0.1.0
 * @internal
 */
export const failed = (cause: unknown, message: string) => new SqlError({ cause, message })

/**
 * The client and the connection it hands out (to recognise the client's own transaction).
 *
 * @since 0.1.0
 * @internal
 */
export interface ApplicationClient {
  readonly client: SqliteClient.SqliteClient
  readonly connection: Connection
}

/**
 * Builds the client over `db`, serialized by `semaphore` (one permit).
 *
 * @since 0.1.0
 * @internal
 */
export const make = (options: {
  readonly db: Sqlite.Database
  readonly filename: string
  readonly semaphore: Effect.Semaphore
}): Effect.Effect<ApplicationClient, never, Scope.Scope> =>
  Effect.gen(function* () {
    const { db, semaphore } = options
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
    return { client, connection }
  })
