/**
 * The SQL storage engine: the `StorageEngine` contract over any `@effect/sql` client, for any dialect. Every statement
 * is an Effect (nothing assumes a driver answers synchronously), and the dialect supplies the SQL, so SQLite over an
 * application's client and PostgreSQL run the same engine.
 *
 * - **append**, in one transaction (`SqlTransaction`: the engine's own, or a savepoint of the application's): gather
 *   the append rule's facts (the stream's version; the stored events carrying the batch's ids, only when
 *   `AppendRule.needsStoredIds`), `AppendRule.decide`, insert the batch. When a unique index rejects the insert, the
 *   facts were stale (another writer committed meanwhile, on a database whose transactions do not lock the stream):
 *   the append is decided again on fresh facts, which gives `WrongExpectedVersion` with the actual version, a
 *   duplicate or a repeat by the rule, or a write at the new version. With a dialect's `appendChecked`, an append
 *   outside the application's transaction is first that one statement (its own transaction, one round trip), and the
 *   rule decides only when it wrote nothing;
 * - **reads** run one statement each through the client (inside the application's transaction, on its connection);
 *   `readAll` and `headPosition` see only what the dialect's visibility rule lets through;
 * - **live readers** are woken at once by appends through this engine (after the commit; inside the application's
 *   transaction, at once, so they may look before it commits) and otherwise notice new events by polling the head
 *   every `pollInterval`;
 * - **admin** (`AdminEngine`): listings, totals and counts are one statement each (the dialect's); an import runs all
 *   its runs in one transaction, each decided by `AppendRule.decideImport` on facts gathered as an append gathers them,
 *   and is decided again from the start when a unique index finds the facts stale.
 *
 * Storage faults are `StorageError`s (`EventStore.append`, `EventStore.readAll`, ...), undecodable rows
 * `EventDecodeError`s, never defects. Statements are never interrupted mid-flight (see `fromClient`).
 *
 * @since 0.1.0
 */
import {
  type EventStore,
  type EventStoreError,
  EventStoreError as Errors,
  ExpectedVersion,
  Position,
  Query as EventQuery,
  type StorageError,
  type StoreAdmin,
  type StreamId
} from "@chronicle/core"
import { type AdminEngine, AppendRule, ConditionRule, Notifier, type StorageEngine } from "@chronicle/core/engine"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Duration, Effect, Either, Option, Predicate, Schedule } from "effect"
import * as EventRows from "./EventRows.js"
import type { EventTables, Query, SqlDialect } from "./SqlDialect.js"
import * as SqlFault from "./SqlFault.js"
import * as SqlIdentifier from "./SqlIdentifier.js"
import * as SqlMigrations from "./SqlMigrations.js"
import * as SqlTransaction from "./SqlTransaction.js"

/**
 * The table options of an event store: `tables.events` (default `chronicle_events`) and `migrationsTable`, where its
 * migrations are recorded (default `chronicle_migrations` for the default events table, `<events>_migrations` for
 * another, so that two stores in one database never share their migrations' record: `migrationsTableOf`).
 *
 * @since 0.1.0
 * @category models
 */
export interface TableOptions {
  readonly tables?: { readonly events?: string } | undefined
  readonly migrationsTable?: string | undefined
}

/**
 * The default table names: `chronicle_events` and `chronicle_migrations` (not `effect_sql_migrations`, so the store's
 * migrations never collide with an application's own in a shared database).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTables: EventTables = { events: "chronicle_events", migrations: "chronicle_migrations" }

/**
 * The migrations table of an events table when none is named: `chronicle_migrations` for the default events table (as
 * the first release made it), `<events>_migrations` for another.
 *
 * @since 0.1.0
 * @category constants
 */
export const migrationsTableOf = (events: string): string =>
  events === defaultTables.events ? defaultTables.migrations : `${events}_migrations`

/**
 * The default interval at which live readers poll for appends made elsewhere.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPollInterval: Duration.Duration = Duration.millis(100)

/**
 * Validates the table options under a dialect's rules, filling in the defaults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tables = (
  dialect: SqlDialect,
  options: TableOptions
): Either.Either<EventTables, SqlIdentifier.InvalidIdentifier> =>
  Either.map(
    SqlIdentifier.validatePair(
      dialect.identifiers,
      { option: "tables.events", name: options.tables?.events ?? defaultTables.events },
      {
        option: "migrationsTable",
        name: options.migrationsTable ?? migrationsTableOf(options.tables?.events ?? defaultTables.events)
      }
    ),
    ([events, migrations]) => ({ events, migrations })
  )

/**
 * Runs the event store's migrations with the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate = (
  dialect: SqlDialect,
  tables: EventTables
): Effect.Effect<void, StorageError.StorageError, SqlClient.SqlClient> =>
  Effect.asVoid(
    SqlMigrations.run({
      dialect,
      migrations: dialect.events(tables).migrations,
      table: tables.migrations,
      operation: "EventStore.migrate"
    })
  )

/**
 * The engine's options: the dialect, the (validated) tables and the poll interval of live readers. `notifier` (by
 * default a new one) is what live readers wait on: the engine notifies it after each of its commits, and a store can
 * notify it too when it learns of appends elsewhere (such as a PostgreSQL `LISTEN`), so polling is only the fallback.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly dialect: SqlDialect
  readonly tables: EventTables
  readonly pollInterval: Duration.DurationInput
  readonly notifier?: Notifier.Notifier | undefined
}

/**
 * Waits for an append after `after`: woken at once by `notifier`, and polling `headPosition` every `pollInterval` for
 * appends the notifier cannot see (other processes, other connections). For every SQL engine, so none writes its own.
 *
 * @since 0.1.0
 * @category combinators
 */
export const awaitAppend = (options: {
  readonly notifier: Notifier.Notifier
  readonly headPosition: Effect.Effect<Position.Position, StorageError.StorageError>
  readonly pollInterval: Duration.DurationInput
}): ((after: Position.Position) => Effect.Effect<void, StorageError.StorageError>) => {
  const schedule = Schedule.spaced(Duration.decode(options.pollInterval))
  // A notification that wins the race lets a head read in flight finish (between reads, the poll is interrupted at
  // once): see `fromClient` on interrupted statements.
  const head = Effect.uninterruptible(options.headPosition)
  return (after) =>
    Effect.raceFirst(
      options.notifier.wait(),
      Effect.asVoid(Effect.repeat(head, { schedule, until: (head) => Position.isAfter(head, after) }))
    )
}

type Run = (query: Query) => Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, SqlError>

const isSqlError = (error: unknown): error is SqlError => Predicate.isTagged(error, "SqlError")

/**
 * Builds the engine over `client` on migrated tables (see `make`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromClient = (
  client: SqlClient.SqlClient,
  options: Options
): StorageEngine.StorageEngine & AdminEngine.AdminEngine => {
  const { dialect } = options
  const { position } = dialect
  const sql = dialect.events(options.tables).statements
  const notifier = options.notifier ?? Notifier.make()
  // Statements are never interrupted mid-flight (an interruption waits for the statement in flight, which the
  // client's statement timeout bounds): an asynchronous client cancels an interrupted statement from another
  // connection (PostgreSQL's pg_cancel_backend), and a cancellation that lands after the statement has finished
  // cancels whatever that connection runs next, for whichever fiber, or leaves it inside a failed transaction.
  const query: Run = ([text, params]) => Effect.uninterruptible(client.unsafe(text, params).values)

  const facts = (run: Run, request: StorageEngine.AppendRequest): Effect.Effect<AppendRule.Facts, SqlError> => {
    const version = Effect.map(run(sql.streamVersion(request.streamId)), EventRows.version)
    // Stryker disable next-line ConditionalExpression: reading the stored ids anyway finds none of ids the store made
    // (random), so the rule decides the same; it only costs a query.
    if (!AppendRule.needsStoredIds(request)) return Effect.map(version, (version) => ({ version, stored: [] }))
    const ids = request.events.map((event) => event.id)
    const stored = Effect.map(run(sql.storedIds(request.streamId, ids)), (rows) =>
      EventRows.storedEvents(rows, position)
    )
    return Effect.zipWith(version, stored, (version, stored) => ({ version, stored }))
  }

  const write = (run: Run, request: StorageEngine.AppendRequest, current: number) =>
    Effect.map(Effect.forEach(sql.insert(request, current), run), (results) => ({
      version: current + request.events.length,
      positions: EventRows.insertedPositions(results.flat(), current, position)
    }))

  /** What the rule decides on the facts: the result and whether it wrote, or why nothing was written. */
  const decideAndWrite = (
    run: Run,
    request: StorageEngine.AppendRequest,
    facts: AppendRule.Facts
  ): Effect.Effect<
    readonly [EventStore.AppendResult, boolean],
    EventStoreError.WrongExpectedVersion | EventStoreError.DuplicateEventId | SqlError
  > => {
    const decision = AppendRule.decide(request, facts)
    switch (decision._tag) {
      case "Write":
        return Effect.map(write(run, request, decision.version), (result) => [result, true] as const)
      case "Done":
        return Effect.succeed([decision.result, false] as const)
      case "Conflict":
      case "Duplicate":
        return Effect.fail(decision.error)
    }
  }

  const unconditioned: StorageEngine.Condition = { query: EventQuery.none, after: Position.start }
  /** The dialect's locks of an append (a plain one's under `Query.none`), if it has any. */
  const locksOf = (requests: ReadonlyArray<StorageEngine.AppendRequest>, condition: StorageEngine.Condition) =>
    sql.conditionLocks === undefined ? [] : sql.conditionLocks(requests, condition)

  /** One try, in one transaction: the append's locks, its facts, the rule's decision. */
  const attempt = (request: StorageEngine.AppendRequest) =>
    SqlTransaction.run(client, dialect, (conn: Connection) => {
      const run: Run = ([text, params]) => conn.executeValues(text, params)
      return Effect.uninterruptible(
        Effect.zipRight(
          // Stryker disable next-line ObjectLiteral,BooleanLiteral: `discard` only drops the locks' results unread.
          Effect.forEach(locksOf([request], unconditioned), run, { discard: true }),
          Effect.flatMap(facts(run, request), (facts) => decideAndWrite(run, request, facts))
        )
      )
    })

  /** The append decided by the rule, in a transaction; tried again on fresh facts while a unique index rejects it. */
  const decided = (request: StorageEngine.AppendRequest) =>
    attempt(request).pipe(
      // A unique index rejected the batch: the facts were stale. Decide again on fresh ones.
      Effect.retry({
        while: (error) => isSqlError(error) && dialect.isUniqueViolation(error),
        times: SqlTransaction.retries
      })
    )

  const checked = sql.appendChecked
  /**
   * The append as the dialect's one statement, outside any transaction (a statement of its own commits alone): the
   * result when it wrote, or the rule's decision when it did not (the expectation failed, or a unique index refused
   * the batch: a stored id, or a version another writer took). Inside the application's transaction, and for an
   * empty batch (which writes nothing either way), the rule decides at once.
   */
  const appendChecked = (
    request: StorageEngine.AppendRequest,
    statement: (request: StorageEngine.AppendRequest) => Query
  ) =>
    Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (outer) =>
      Option.isSome(outer) || request.events.length === 0
        ? decided(request)
        : query(statement(request)).pipe(
            Effect.map((rows) =>
              rows.length === 0 ? undefined : ([EventRows.written(rows, position), true] as const)
            ),
            Effect.catchIf(dialect.isUniqueViolation, () => Effect.succeed(undefined)),
            Effect.flatMap((done) => (done === undefined ? decided(request) : Effect.succeed(done)))
          )
    )

  const append = (request: StorageEngine.AppendRequest) =>
    (checked === undefined ? decided(request) : appendChecked(request, checked)).pipe(
      Effect.map(([result, wrote]) => {
        if (wrote) notifier.notify()
        return result
      }),
      Effect.catchTag("SqlError", SqlFault.fail("EventStore.append"))
    )

  /**
   * Refuses a conditional append inside an application's transaction that has written before, on a database that
   * says so (`transactionWrote`): its events' positions were fixed before its locks, so they could sort before those
   * of a conditional append that checked without seeing them.
   */
  const firstWrite = (run: Run, condition: StorageEngine.Condition) =>
    sql.transactionWrote === undefined
      ? Effect.void
      : Effect.flatMap(run(sql.transactionWrote), (rows) =>
          rows[0]?.[0] === true
            ? Effect.fail(
                new Errors.InvalidArgument({
                  argument: "condition",
                  value: JSON.stringify(condition.query.items),
                  reason:
                    "a conditional append inside a transaction must be the transaction's first write (it has written before)"
                })
              )
            : Effect.void
        )

  /**
   * A conditional or multi-stream append, in one transaction: the dialect's condition locks first (if any), then each
   * stream's facts and the first event matching the condition (every committed one, past the global readers'
   * horizon), decided by `ConditionRule.decideMany`; decided again on fresh facts while a unique index rejects it.
   */
  const manyAttempt = (
    requests: ReadonlyArray<StorageEngine.AppendRequest>,
    condition: StorageEngine.Condition | undefined
  ) =>
    SqlTransaction.run(client, dialect, (conn: Connection) => {
      const run: Run = ([text, params]) => conn.executeValues(text, params)
      return Effect.uninterruptible(
        Effect.gen(function* () {
          if (condition !== undefined) yield* firstWrite(run, condition)
          for (const lock of locksOf(requests, condition ?? unconditioned)) yield* run(lock)
          const gathered: Array<AppendRule.Facts> = []
          for (const request of requests) gathered.push(yield* facts(run, request))
          const conflicting =
            condition === undefined
              ? undefined
              : EventRows.firstMatch(
                  yield* run(sql.readFiltered({ query: condition.query }, condition.after, 1, "committed")),
                  position
                )
          const decision = ConditionRule.decideMany(requests, gathered, conflicting)
          if (decision._tag === "Fail") return yield* Effect.fail(decision.error)
          if (decision._tag === "Done") return [decision.results, false] as const
          const results: Array<EventStore.AppendResult> = []
          let wrote = false
          for (let i = 0; i < requests.length; i++) {
            const step = decision.decisions[i]!
            if (step._tag === "Write") {
              results.push(yield* write(run, requests[i]!, step.version))
              wrote = true
            } else if (step._tag === "Done") results.push(step.result)
          }
          return [results, wrote] as const
        })
      )
    })

  const appendMany = (
    requests: ReadonlyArray<StorageEngine.AppendRequest>,
    condition: StorageEngine.Condition | undefined
  ) =>
    manyAttempt(requests, condition).pipe(
      Effect.retry({
        while: (error) => isSqlError(error) && dialect.isUniqueViolation(error),
        times: SqlTransaction.retries
      }),
      Effect.map(([results, wrote]) => {
        if (wrote) notifier.notify()
        return results
      }),
      Effect.catchTag("SqlError", SqlFault.fail("EventStore.append"))
    )

  const readFiltered = (filter: StorageEngine.EventFilter, after: Position.Position, limit: number) =>
    Effect.flatMap(
      Effect.catchTag(
        query(sql.readFiltered(filter, after, limit, "global")),
        "SqlError",
        SqlFault.fail("EventStore.readAll")
      ),
      (rows) => EventRows.decode(rows, undefined, position)
    )

  const readStream = (streamId: StreamId.StreamId, range: StorageEngine.StreamRange) =>
    Effect.flatMap(
      Effect.catchTag(query(sql.readStream(streamId, range)), "SqlError", SqlFault.fail("EventStore.readStream")),
      (rows) => EventRows.decode(rows, streamId, position)
    )

  const readAll = (after: Position.Position, limit: number) =>
    Effect.flatMap(
      Effect.catchTag(query(sql.readAll(after, limit)), "SqlError", SqlFault.fail("EventStore.readAll")),
      (rows) => EventRows.decode(rows, undefined, position)
    )

  const streamVersion = (streamId: StreamId.StreamId) =>
    Effect.map(
      Effect.catchTag(query(sql.streamVersion(streamId)), "SqlError", SqlFault.fail("EventStore.streamVersion")),
      EventRows.version
    )

  const headPosition = Effect.map(
    Effect.catchTag(query(sql.headPosition), "SqlError", SqlFault.fail("EventStore.headPosition")),
    (rows) => EventRows.head(rows, position)
  )

  const lastCommitted = Effect.map(
    Effect.catchTag(
      query(sql.lastCommitted ?? sql.headPosition),
      "SqlError",
      SqlFault.fail("StoreAdmin.lastCommitted")
    ),
    (rows) => EventRows.head(rows, position)
  )

  const listStreams = (range: AdminEngine.StreamsRange) =>
    Effect.map(
      Effect.catchTag(query(sql.listStreams(range)), "SqlError", SqlFault.fail("StoreAdmin.listStreams")),
      (rows) => EventRows.streams(rows, position)
    )

  const stats = Effect.map(
    Effect.all({
      totals: query(sql.totals),
      eventTypes: query(sql.eventTypes),
      size: query(sql.size),
      head: query(sql.headPosition)
    }),
    (results) => EventRows.stats(results, position)
  ).pipe(Effect.catchTag("SqlError", SqlFault.fail("StoreAdmin.stats")))

  const countAfter = (after: Position.Position) =>
    Effect.map(
      Effect.catchTag(query(sql.countAfter(after)), "SqlError", SqlFault.fail("StoreAdmin.countAfter")),
      EventRows.count
    )

  /** Every run, in one transaction: decided by the import rule on fresh facts, written as it says. */
  const importAttempt = (runs: ReadonlyArray<AppendRule.ImportRun>) =>
    SqlTransaction.run(client, dialect, (conn: Connection) => {
      const run: Run = ([text, params]) => conn.executeValues(text, params)
      return Effect.reduce(
        runs,
        { written: 0, skipped: 0 } as StoreAdmin.ImportResult,
        (result, importRun): Effect.Effect<StoreAdmin.ImportResult, StoreAdmin.ImportConflict | SqlError> => {
          const request = {
            streamId: importRun.streamId,
            events: importRun.events,
            expectedVersion: ExpectedVersion.any
          }
          return Effect.flatMap(
            facts(run, request),
            (facts): Effect.Effect<StoreAdmin.ImportResult, StoreAdmin.ImportConflict | SqlError> => {
              const decision = AppendRule.decideImport(importRun, facts)
              switch (decision._tag) {
                case "Conflict":
                  return Effect.fail(decision.error)
                case "Skip":
                  return Effect.succeed({ written: result.written, skipped: result.skipped + decision.skipped })
                case "Write":
                  return Effect.as(write(run, { ...request, events: decision.events }, decision.version), {
                    written: result.written + decision.events.length,
                    skipped: result.skipped + decision.skipped
                  })
              }
            }
          )
        }
      )
    })

  const importRuns = (runs: ReadonlyArray<AppendRule.ImportRun>) =>
    importAttempt(runs).pipe(
      Effect.retry({
        while: (error) => isSqlError(error) && dialect.isUniqueViolation(error),
        times: SqlTransaction.retries
      }),
      Effect.tap((result) => {
        if (result.written > 0) notifier.notify()
      }),
      Effect.catchTag("SqlError", SqlFault.fail("StoreAdmin.importEvents"))
    )

  return {
    append,
    appendMany,
    readFiltered,
    readStream,
    readAll,
    streamVersion,
    headPosition,
    awaitAppend: awaitAppend({ notifier, headPosition, pollInterval: options.pollInterval }),
    listStreams,
    stats,
    lastCommitted,
    countAfter,
    importRuns
  }
}

/**
 * Runs the event store's migrations, then builds the engine over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<
  StorageEngine.StorageEngine & AdminEngine.AdminEngine,
  StorageError.StorageError,
  SqlClient.SqlClient
> =>
  Effect.flatMap(SqlClient.SqlClient, (client) =>
    Effect.as(migrate(options.dialect, options.tables), fromClient(client, options))
  )
