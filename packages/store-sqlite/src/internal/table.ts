/**
 * The shared prelude of the SQLite side stores: a validated table name, created if missing.
 *
 * @since 0.1.0
 * @internal
 */
import { StorageError } from "@chronicle/core"
import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Either } from "effect"
import { type InvalidIdentifier, validateIdentifier } from "../SqliteEventStoreSchema.js"

/**
 * Validates `name`, creates the table with `columns` if it is missing, and returns the name with the client.
 *
 * @since 0.1.0
 * @internal
 */
export const ensureTable = (
  store: string,
  name: string,
  columns: string
): Effect.Effect<
  { readonly table: string; readonly sql: SqlClient.SqlClient },
  InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const table = validateIdentifier("table", name)
    if (Either.isLeft(table)) return yield* table.left
    const sql = yield* SqlClient.SqlClient
    yield* sql
      .unsafe(`CREATE TABLE IF NOT EXISTS ${table.right} (${columns}) WITHOUT ROWID`)
      .pipe(Effect.mapError((cause) => new StorageError.StorageError({ operation: `${store}.migrate`, cause })))
    return { table: table.right, sql }
  })
