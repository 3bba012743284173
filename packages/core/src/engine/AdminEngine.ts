/**
 * What an engine provides for the `StoreAdmin` service: a few queries and the import of validated runs.
 * `toStoreAdmin` checks every argument and validates imported events (as `append` validates new ones), so an engine
 * sees only well-formed requests, and every store answers alike.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { InvalidArgument } from "../EventStoreError.js"
import { compareCodePoints } from "../internal/order.js"
import { checkCount, checkPosition, prepareImport } from "../internal/validate.js"
import type { Position } from "../Position.js"
import type { StorageError } from "../StorageError.js"
import * as StoreAdmin from "../StoreAdmin.js"
import type { ImportRun } from "./AppendRule.js"

/**
 * A page of streams to list: ids starting with `prefix` (empty: all), greater than `after` when given, at most
 * `limit`, in ascending order of id (code point order, `compareStreamIds`).
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamsRange {
  readonly prefix: string
  readonly after: string | undefined
  readonly limit: number
}

/**
 * The admin contract of an engine.
 *
 * - `listStreams`: one page of streams, as `StreamsRange` says;
 * - `stats`: the store's totals, consistent with its `headPosition`;
 * - `lastCommitted`: the position of the last committed event, visible to `readAll` or not yet (at least its head);
 * - `countAfter`: the number of events after a position (in the order `readAll` reads);
 * - `importRuns`: in one transaction, each run in order decided by `AppendRule.decideImport` on facts read inside
 *   that transaction (later runs see what earlier ones wrote), writing what it says; a conflict rolls the whole call
 *   back. Live readers are woken after the commit, as after an append.
 *
 * @since 0.1.0
 * @category models
 */
export interface AdminEngine {
  readonly listStreams: (range: StreamsRange) => Effect.Effect<ReadonlyArray<StoreAdmin.StreamInfo>, StorageError>
  readonly stats: Effect.Effect<StoreAdmin.Stats, StorageError>
  readonly lastCommitted: Effect.Effect<Position, StorageError>
  readonly countAfter: (after: Position) => Effect.Effect<number, StorageError>
  readonly importRuns: (
    runs: ReadonlyArray<ImportRun>
  ) => Effect.Effect<StoreAdmin.ImportResult, StoreAdmin.ImportConflict | StorageError>
}

/**
 * The order of stream ids in listings: by code point (SQLite's `BINARY` and PostgreSQL's `C` collation order).
 *
 * @since 0.1.0
 * @category ordering
 */
export const compareStreamIds: (a: string, b: string) => number = compareCodePoints

const invalid = (argument: string, value: unknown, reason: string): Effect.Effect<never, InvalidArgument> =>
  Effect.fail(
    new InvalidArgument({ argument, value: typeof value === "string" ? JSON.stringify(value) : String(value), reason })
  )

/**
 * Builds the `StoreAdmin` service from an engine: arguments are checked (an invalid one is `InvalidArgument`),
 * imported events validated and split into runs, and empty imports answered without the engine.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toStoreAdmin = (engine: AdminEngine): StoreAdmin.StoreAdmin["Type"] => ({
  listStreams: (options) =>
    Effect.suspend((): Effect.Effect<StoreAdmin.StreamPage, StorageError | InvalidArgument> => {
      const prefix = options?.prefix ?? ""
      const after = options?.after
      const limit = options?.limit ?? StoreAdmin.defaultListLimit
      if (typeof prefix !== "string") return invalid("prefix", prefix, "must be a string")
      if (after !== undefined && typeof after !== "string") return invalid("after", after, "must be a string")
      const badLimit = checkCount("limit", limit, 1)
      if (badLimit !== undefined) return Effect.fail(badLimit)
      return Effect.map(engine.listStreams({ prefix, after, limit }), (streams) => ({
        streams,
        next: streams.length < limit ? undefined : streams[streams.length - 1]!.streamId
      }))
    }),
  stats: engine.stats,
  lastCommitted: engine.lastCommitted,
  countAfter: (position) =>
    Effect.suspend((): Effect.Effect<number, StorageError | InvalidArgument> => {
      const bad = checkPosition("position", position ?? 0)
      return bad === undefined ? engine.countAfter(position) : Effect.fail(bad)
    }),
  importEvents: (events) =>
    Effect.suspend((): Effect.Effect<StoreAdmin.ImportResult, StoreAdmin.ImportError> => {
      const runs = prepareImport(events)
      if (!Array.isArray(runs)) return Effect.fail(runs)
      return runs.length === 0 ? Effect.succeed({ written: 0, skipped: 0 }) : engine.importRuns(runs)
    })
})
