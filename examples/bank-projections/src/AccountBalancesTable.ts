/**
 * The balance read model as a SQL table, `account_balances`, kept by a projection and queried through `@effect/sql`.
 * Its rows mirror `AccountBalances` (the in-memory read model), so a rebuild can be checked against a replay.
 *
 * @since 0.1.0
 */
import { type AccountBalances, BankAccount, Money } from "@chronicle/bank-account"
import { Projection, type RecordedEvent } from "@chronicle/core"
import { SqlClient, type SqlError } from "@effect/sql"
import { Effect, Option } from "effect"

/** A row as it comes back: PostgreSQL returns BIGINT columns as strings, SQLite as numbers. */
interface Row {
  readonly account_id: string
  readonly owner: string
  readonly balance: number | string
  readonly status: "active" | "closed"
  readonly last_updated: number | string
}

const toBalance = (row: Row): AccountBalances.AccountBalance => ({
  accountId: row.account_id,
  owner: row.owner,
  balance: Money.unsafeMake(Number(row.balance)),
  status: row.status,
  lastUpdated: new Date(Number(row.last_updated))
})

/**
 * Creates the table if it is missing (the same SQL on SQLite and PostgreSQL).
 *
 * @since 0.1.0
 * @category schema
 */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql`CREATE TABLE IF NOT EXISTS account_balances (
    account_id TEXT PRIMARY KEY NOT NULL,
    stream_id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    balance BIGINT NOT NULL,
    status TEXT NOT NULL,
    last_updated BIGINT NOT NULL
  )`
).pipe(Effect.asVoid)

const applyOne = (sql: SqlClient.SqlClient, event: RecordedEvent.RecordedEvent<BankAccount.Event>) => {
  const at = event.recordedAt.getTime()
  switch (event.data._tag) {
    case "AccountOpened":
      return sql`INSERT INTO account_balances (account_id, stream_id, owner, balance, status, last_updated)
        VALUES (${event.data.accountId}, ${event.streamId}, ${event.data.ownerName}, 0, 'active', ${at})
        ON CONFLICT DO NOTHING`
    case "MoneyDeposited":
    case "MoneyWithdrawn":
      return sql`UPDATE account_balances SET balance = ${event.data.balanceAfter}, last_updated = ${at}
        WHERE stream_id = ${event.streamId}`
    case "AccountClosed":
      return sql`UPDATE account_balances SET status = 'closed', last_updated = ${at} WHERE stream_id = ${event.streamId}`
  }
}

/**
 * The projection that keeps `account_balances`. Run it with `ProjectionRunner` and a `CheckpointStore` on the same
 * database (`SqliteCheckpointStore`, `PostgresCheckpointStore`), so each page of updates commits together with its
 * checkpoint.
 *
 * @since 0.1.0
 * @category projections
 */
export const projection: Projection.Projection<BankAccount.Event, SqlError.SqlError, SqlClient.SqlClient> =
  Projection.make({
    name: "account_balances",
    codec: BankAccount.codec,
    apply: (events) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) =>
        Effect.forEach(events, (event) => applyOne(sql, event), { discard: true })
      ),
    reset: Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DELETE FROM account_balances`).pipe(Effect.asVoid)
  })

/**
 * One account's row.
 *
 * @since 0.1.0
 * @category queries
 */
export const balance = (
  accountId: string
): Effect.Effect<Option.Option<AccountBalances.AccountBalance>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<Row>`SELECT * FROM account_balances WHERE account_id = ${accountId}`
  ).pipe(Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toBalance)))

/**
 * Every account, by id.
 *
 * @since 0.1.0
 * @category queries
 */
export const accounts: Effect.Effect<
  ReadonlyArray<AccountBalances.AccountBalance>,
  SqlError.SqlError,
  SqlClient.SqlClient
> = Effect.flatMap(SqlClient.SqlClient, (sql) => sql<Row>`SELECT * FROM account_balances ORDER BY account_id`).pipe(
  Effect.map((rows) => rows.map(toBalance))
)

/**
 * The total held across all accounts.
 *
 * @since 0.1.0
 * @category queries
 */
export const totalHeld: Effect.Effect<number, SqlError.SqlError, SqlClient.SqlClient> = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql<{ readonly total: number | string | null }>`SELECT SUM(balance) AS total FROM account_balances`
).pipe(Effect.map((rows) => Number(rows[0]?.total ?? 0)))
