/**
 * The store's own engine, on the connection it opened: the fast path. The same statements (from the SQLite dialect),
 * the same append rule and the same row decoding as the shared `SqlEngine`, but each append or read runs as one
 * synchronous body on better-sqlite3 statements prepared once, and concurrent appends are committed together
 * (`groupCommit.ts`). Live readers are woken in-process at once and across processes by polling, as `SqlEngine`
 * does.
 *
 * Positions are SQLite row ids: the events table must only ever be appended to.
 *
 * @since 0.1.0
 * @internal
 */
import type { EventStore, Position, StoreAdmin, StreamId } from "@chronicle/core"
import {
  type AdminEngine,
  AppendRule,
  ConditionRule,
  Notifier,
  PositionEncoding,
  type StorageEngine
} from "@chronicle/core/engine"
import { EventRows, type SqlDialect, SqlEngine, SqlFault } from "@chronicle/sql"
import type { Duration } from "effect"
import { Effect, Either } from "effect"
import type { Access, Lone, SyncSql } from "./access.js"
import { dialect, events, loneRow, maxRowsPerInsert, rowWidth, writeRow } from "./dialect.js"

/**
 * Options of the engine.
 *
 * @since 0.1.0
 * @internal
 */
export interface Options {
  readonly access: Access
  readonly tables: SqlDialect.EventTables
  readonly pollInterval: Duration.DurationInput
}

/**
 * Builds the engine over migrated tables.
 *
 * @since 0.1.0
 * @internal
 */
export const make = (options: Options): StorageEngine.StorageEngine & AdminEngine.AdminEngine => {
  const { access } = options
  const { position } = dialect
  const schema = events(options.tables)
  const sql = schema.statements
  const notifier = Notifier.make()
  access.onCommit(notifier.notify)

  // Rows go in by multi-row INSERTs of at most `maxRowsPerInsert` (one statement per 100 events, not one per event).
  // The table is only appended to under the write lock, so one statement's rows take consecutive row ids, the last of
  // them the statement's last insert row id.
  const insert = (db: SyncSql, request: Pick<StorageEngine.AppendRequest, "streamId" | "events">, current: number) => {
    const { events, streamId } = request
    const positions: Array<Position.Position> = new Array(events.length)
    for (let start = 0; start < events.length; start += maxRowsPerInsert) {
      const rows = Math.min(maxRowsPerInsert, events.length - start)
      const params: Array<unknown> = new Array(rows * rowWidth)
      for (let i = 0; i < rows; i++)
        writeRow(params, i * rowWidth, streamId, events[start + i]!, current + start + i + 1)
      const first = db.insert(schema.insertRows(rows), params) - rows + 1
      for (let i = 0; i < rows; i++) positions[start + i] = PositionEncoding.fromCounter(first + i)
    }
    return { version: current + events.length, positions }
  }

  const facts = (db: SyncSql, request: Pick<StorageEngine.AppendRequest, "streamId" | "events">): AppendRule.Facts => {
    const version = db.value(...sql.streamVersion(request.streamId)) as number
    if (!AppendRule.needsStoredIds(request)) return { version, stored: [] }
    const ids = request.events.map((event) => event.id)
    return { version, stored: EventRows.storedEvents(db.rows(...sql.storedIds(request.streamId, ids)), position) }
  }

  const appendBody = (request: StorageEngine.AppendRequest) => (db: SyncSql) => {
    const decision = AppendRule.decide(request, facts(db, request))
    switch (decision._tag) {
      case "Write":
        return Either.right(insert(db, request, decision.version))
      case "Done":
        return Either.right(decision.result)
      case "Conflict":
      case "Duplicate":
        return Either.left(decision.error)
    }
  }

  /**
   * One event at a known version (an exact expectation, or no stream): the insert checks the stream's version itself,
   * so when the writer has the connection to itself, the append is that one statement — the first event of a stream a
   * plain insert (the `(stream_id, version)` index refuses it if the stream is there), any later one `insertAfter`.
   * When a constraint refuses it (the stream is elsewhere, or a chosen id was stored before), the rule decides in a
   * transaction, as for any append: a conflict, a repeat or a duplicate.
   */
  const loneAppend = (request: StorageEngine.AppendRequest): Lone<EventStore.AppendResult, never> | undefined => {
    const [min, max] = AppendRule.acceptedVersions(request.expectedVersion)
    if (request.events.length !== 1 || min !== max) return undefined
    // The parameters are written only when the statement runs: in a group, the body writes the event instead.
    // Either statement inserts its row or a constraint refuses it (thrown): it never writes nothing.
    return (db) => {
      const event = request.events[0]!
      let position: number
      if (min === 0) {
        const params: Array<unknown> = new Array(rowWidth)
        writeRow(params, 0, request.streamId, event, 1)
        position = db.insert(schema.insertRows(1), params)
      } else {
        position = db.insert(schema.insertAfter, loneRow(request.streamId, event, min + 1))
      }
      return Either.right({ version: min + 1, positions: [PositionEncoding.fromCounter(position)] })
    }
  }

  // A batch of at most `maxRowsPerInsert` events writes with one INSERT, after its checks: it needs no savepoint in a
  // group (SQLite undoes a failed statement, its triggers' writes included).
  const append = (request: StorageEngine.AppendRequest) =>
    Effect.catchTag(
      access.write(appendBody(request), request.events.length <= maxRowsPerInsert, loneAppend(request)),
      "SqlError",
      SqlFault.fail("EventStore.append")
    )

  // Inside the group commit, in the write transaction (BEGIN IMMEDIATE: the only writer), each body after the
  // bodies committed before it in the group: the condition is read where the write happens. Several statements, so
  // it runs under a savepoint of its own in the group.
  const appendManyBody =
    (requests: ReadonlyArray<StorageEngine.AppendRequest>, condition: StorageEngine.Condition | undefined) =>
    (db: SyncSql) => {
      const gathered = requests.map((request) => facts(db, request))
      const conflicting =
        condition === undefined
          ? undefined
          : EventRows.firstMatch(
              db.rows(...sql.readFiltered({ query: condition.query }, condition.after, 1, "committed")),
              position
            )
      const decision = ConditionRule.decideMany(requests, gathered, conflicting)
      if (decision._tag === "Fail") return Either.left(decision.error)
      if (decision._tag === "Done") return Either.right(decision.results)
      return Either.right(
        decision.decisions.map((step, i) =>
          step._tag === "Write"
            ? insert(db, requests[i]!, step.version)
            : (step as Extract<AppendRule.Decision, { _tag: "Done" }>).result
        )
      )
    }

  const appendMany = (
    requests: ReadonlyArray<StorageEngine.AppendRequest>,
    condition: StorageEngine.Condition | undefined
  ) =>
    Effect.catchTag(access.write(appendManyBody(requests, condition)), "SqlError", SqlFault.fail("EventStore.append"))

  const readFiltered = (filter: StorageEngine.EventFilter, after: Position.Position, limit: number) =>
    Effect.catchTag(
      access.read((db) =>
        EventRows.decode(db.rows(...sql.readFiltered(filter, after, limit, "global")), undefined, position)
      ),
      "SqlError",
      SqlFault.fail("EventStore.readAll")
    )

  const readStream = (streamId: StreamId.StreamId, range: StorageEngine.StreamRange) =>
    Effect.catchTag(
      access.read((db) => EventRows.decode(db.rows(...sql.readStream(streamId, range)), streamId, position)),
      "SqlError",
      SqlFault.fail("EventStore.readStream")
    )

  const readAll = (after: Position.Position, limit: number) =>
    Effect.catchTag(
      access.read((db) => EventRows.decode(db.rows(...sql.readAll(after, limit)), undefined, position)),
      "SqlError",
      SqlFault.fail("EventStore.readAll")
    )

  const streamVersion = (streamId: StreamId.StreamId) =>
    Effect.catchTag(
      access.read((db) => Either.right(db.value(...sql.streamVersion(streamId)) as number)),
      "SqlError",
      SqlFault.fail("EventStore.streamVersion")
    )

  /** The last position written, for the operation that reads it. */
  const head = (operation: string) =>
    Effect.catchTag(
      access.read((db) => Either.right(EventRows.head(db.rows(...sql.headPosition), position))),
      "SqlError",
      SqlFault.fail(operation)
    )
  const headPosition = head("EventStore.headPosition")

  const listStreams = (range: AdminEngine.StreamsRange) =>
    Effect.catchTag(
      access.read((db) => Either.right(EventRows.streams(db.rows(...sql.listStreams(range)), position))),
      "SqlError",
      SqlFault.fail("StoreAdmin.listStreams")
    )

  // One synchronous body: the totals, the types, the size and the head describe the same moment.
  const stats = Effect.catchTag(
    access.read((db) =>
      Either.right(
        EventRows.stats(
          {
            totals: db.rows(...sql.totals),
            eventTypes: db.rows(...sql.eventTypes),
            size: db.rows(...sql.size),
            head: db.rows(...sql.headPosition)
          },
          position
        )
      )
    ),
    "SqlError",
    SqlFault.fail("StoreAdmin.stats")
  )

  const countAfter = (after: Position.Position) =>
    Effect.catchTag(
      access.read((db) => Either.right(EventRows.count(db.rows(...sql.countAfter(after))))),
      "SqlError",
      SqlFault.fail("StoreAdmin.countAfter")
    )

  const importBody =
    (runs: ReadonlyArray<AppendRule.ImportRun>) =>
    (db: SyncSql): Either.Either<StoreAdmin.ImportResult, StoreAdmin.ImportConflict> => {
      let written = 0
      let skipped = 0
      for (const run of runs) {
        const decision = AppendRule.decideImport(run, facts(db, run))
        if (decision._tag === "Conflict") return Either.left(decision.error)
        skipped += decision.skipped
        if (decision._tag === "Write") {
          insert(db, { streamId: run.streamId, events: decision.events }, decision.version)
          written += decision.events.length
        }
      }
      return Either.right({ written, skipped })
    }

  const importRuns = (runs: ReadonlyArray<AppendRule.ImportRun>) =>
    Effect.catchTag(access.write(importBody(runs)), "SqlError", SqlFault.fail("StoreAdmin.importEvents"))

  return {
    append,
    appendMany,
    readFiltered,
    readStream,
    readAll,
    streamVersion,
    headPosition,
    awaitAppend: SqlEngine.awaitAppend({ notifier, headPosition, pollInterval: options.pollInterval }),
    listStreams,
    stats,
    // One writer at a time: commits come in position order, so the last committed event is the head.
    lastCommitted: head("StoreAdmin.lastCommitted"),
    countAfter,
    importRuns
  }
}
