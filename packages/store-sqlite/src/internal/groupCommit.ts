/**
 * Group commit: the writes waiting for the connection's single writer go into one transaction, each in its own
 * savepoint, and every writer is answered after that transaction committed.
 *
 * The first write to find the writer idle becomes the leader and runs the whole queue as one group on its own fiber,
 * taking its answer directly; the others wait for theirs. To let the others queue, the leader first yields once to
 * the fiber scheduler, so that every fiber runnable at that moment can queue its write. That yield costs about as much
 * as a lone write's statements, and a fiber writing again right after its own write has nobody to wait for: so the
 * leader yields only when the last group had more than one write, or when its fiber is not the one that wrote last
 * (writers may have become concurrent); a fiber that keeps writing alone runs at once. No timer is involved, and a
 * group holds at most `maxGroup` writes (the rest form the next group at once).
 *
 * - A group of one runs as a plain transaction, or, for a write that has a `lone` form (one statement that is the whole
 *   write), as that statement alone, which SQLite commits by itself: no `BEGIN` and `COMMIT` around it; when it wrote
 *   nothing (a check in it failed) or a constraint refused it, the write runs as a plain transaction after all, where
 *   its body decides. In a larger group each write runs between `SAVEPOINT` and `RELEASE`,
 *   and a typed failure or a statement error rolls back to its savepoint, failing that write alone. A write marked
 *   `oneStatement` (it fails before writing, or writes with one statement, which SQLite undoes by itself if it fails)
 *   runs without a savepoint. Writes run in queue order, so each one sees what the writes before it in the group
 *   wrote.
 * - If `BEGIN` or `COMMIT` fails, or a statement error ends the whole transaction, every write of the group gets the
 *   error — except `SQLITE_BUSY` / `SQLITE_LOCKED`, after which the group goes back to the head of the queue and is
 *   run again, each write checked afresh, after a jittered backoff (2 ms doubling up to 100 ms); a write busy more
 *   than `SqlTransaction.retries` times fails with the busy error.
 * - A writer interrupted while its write is queued (waiting for the leader or for a retry) is taken out of the queue:
 *   nothing of it is written. Once a group runs, it is synchronous and cannot be interrupted; the leader is not
 *   interruptible between its yield and running the group (so the writes queued behind it are never stranded).
 *
 * @since 0.1.0
 * @internal
 */
import { SqlTransaction } from "@chronicle/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Either } from "effect"
import { type Body, type Lone, type SyncSql, toSqlError } from "./access.js"
import { isBusy, isConstraintViolation } from "./dialect.js"

/**
 * The statements the writer runs around the writes, on the connection the writes use; each throws on failure.
 *
 * @since 0.1.0
 * @internal
 */
export interface Connection {
  readonly sql: SyncSql
  readonly inTransaction: () => boolean
  readonly begin: () => void
  readonly commit: () => void
  /** Rolls the transaction back, if one is still open. */
  readonly rollback: () => void
  readonly savepoint: () => void
  readonly release: () => void
  /** Rolls back to the savepoint and releases it. */
  readonly rollbackToSavepoint: () => void
}

/**
 * Options of the writer.
 *
 * - `whenFree`: runs a function once the application's transaction that is open on the connection has ended (the
 *   writer never writes inside a transaction it did not open);
 * - `onCommit`: called after each commit that made at least one write, before the writers are answered.
 *
 * @since 0.1.0
 * @internal
 */
export interface Options {
  readonly connection: Connection
  readonly whenFree: (run: () => void) => void
  readonly onCommit: () => void
  /** The most writes in one transaction (default 1000); more wait for the next one. */
  readonly maxGroup?: number
}

/**
 * The writer: `write` queues a body for the next group and answers once its group committed; `close` fails what is
 * still queued (the connection is about to close).
 *
 * @since 0.1.0
 * @internal
 */
export interface GroupWriter {
  readonly write: <A, E>(body: Body<A, E>, oneStatement?: boolean, lone?: Lone<A, E>) => Effect.Effect<A, E | SqlError>
  readonly close: () => void
}

type Outcome = Either.Either<unknown, unknown>

interface Entry {
  readonly body: Body<unknown, unknown>
  readonly oneStatement: boolean
  readonly lone: Lone<unknown, unknown> | undefined
  /** How to answer a writer that is waiting; until it waits, the outcome is kept in `outcome`. */
  resume: ((outcome: Outcome) => void) | undefined
  outcome: Outcome | undefined
  attempts: number
  queued: boolean
}

const settle = (entry: Entry, outcome: Outcome) => {
  if (entry.resume === undefined) entry.outcome = outcome
  else entry.resume(outcome)
}

const closedError = () => toSqlError(new Error("The SQLite database was closed before this write ran"))

/**
 * Makes the writer of one connection.
 *
 * @since 0.1.0
 * @internal
 */
export const make = (options: Options): GroupWriter => {
  const { connection, onCommit, whenFree } = options
  const { sql } = connection
  const maxGroup = options.maxGroup ?? 1000
  /** Whether the last group had company: then leaders yield to gather the next one. */
  let grouping = false
  /** The id of the fiber whose write came last. */
  let lastWriter = -1
  let queue: Array<Entry> = []
  let scheduled = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false

  const schedule = () => {
    scheduled = true
    queueMicrotask(drain)
  }

  const fail = (entries: ReadonlyArray<Entry>, error: unknown) => {
    const outcome = Either.left(toSqlError(error))
    for (const entry of entries) settle(entry, outcome)
  }

  const requeue = (group: Array<Entry>, error: unknown) => {
    const again: Array<Entry> = []
    let attempts = 0
    for (const entry of group) {
      entry.attempts++
      if (entry.attempts > SqlTransaction.retries) {
        settle(entry, Either.left(toSqlError(error)))
      } else {
        entry.queued = true
        again.push(entry)
        attempts = Math.max(attempts, entry.attempts)
      }
    }
    if (again.length === 0) return
    queue = again.concat(queue)
    scheduled = true
    timer = setTimeout(() => {
      timer = undefined
      drain()
    }, SqlTransaction.retryDelay(attempts))
  }

  /** Runs one write inside the group's transaction; throws what ends the whole transaction. */
  const runInGroup = (entry: Entry): Outcome => {
    if (!entry.oneStatement) connection.savepoint()
    let outcome: Outcome
    try {
      outcome = entry.body(sql)
    } catch (error) {
      if (isBusy(error) || !connection.inTransaction()) throw error
      outcome = Either.left(toSqlError(error))
    }
    if (entry.oneStatement) return outcome
    if (Either.isRight(outcome)) connection.release()
    else connection.rollbackToSavepoint()
    return outcome
  }

  /**
   * Runs a lone write's statement: its outcome, or `undefined` to run the write in a transaction (it wrote nothing, or
   * a constraint refused it); throws a busy database.
   */
  const runLone = (lone: Lone<unknown, unknown>): Outcome | undefined => {
    try {
      return lone(sql)
    } catch (error) {
      if (isBusy(error)) throw error
      if (isConstraintViolation(error)) return undefined
      return Either.left(toSqlError(error))
    }
  }

  const commitGroup = (group: Array<Entry>) => {
    const lone = group.length === 1 ? group[0]!.lone : undefined
    if (lone !== undefined) {
      let outcome: Outcome | undefined
      try {
        outcome = runLone(lone)
      } catch (error) {
        requeue(group, error)
        return
      }
      if (outcome !== undefined) {
        grouping = false
        if (Either.isRight(outcome)) onCommit()
        settle(group[0]!, outcome)
        return
      }
    }
    const outcomes: Array<Outcome> = new Array(group.length)
    let wrote = false
    try {
      connection.begin()
      if (group.length === 1) {
        const outcome = group[0]!.body(sql)
        outcomes[0] = outcome
        wrote = Either.isRight(outcome)
        if (wrote) connection.commit()
        else connection.rollback()
      } else {
        for (let i = 0; i < group.length; i++) {
          const outcome = runInGroup(group[i]!)
          outcomes[i] = outcome
          if (Either.isRight(outcome)) wrote = true
        }
        connection.commit()
      }
    } catch (error) {
      try {
        connection.rollback()
      } catch {
        // the transaction is gone already
      }
      if (isBusy(error)) requeue(group, error)
      else fail(group, error)
      return
    }
    grouping = group.length > 1
    if (wrote) onCommit()
    for (let i = 0; i < group.length; i++) settle(group[i]!, outcomes[i]!)
  }

  const run = (afterWaiting: boolean) => {
    scheduled = false
    if (queue.length === 0) return
    if (closed) {
      const pending = queue
      queue = []
      return fail(pending, closedError())
    }
    if (connection.inTransaction()) {
      if (afterWaiting) {
        const pending = queue
        queue = []
        return fail(pending, new Error("A transaction was left open outside SqlClient.withTransaction"))
      }
      // An application transaction is open: write once it has ended.
      scheduled = true
      return whenFree(() => run(true))
    }
    const group = queue.length <= maxGroup ? queue : queue.slice(0, maxGroup)
    queue = queue.length <= maxGroup ? [] : queue.slice(maxGroup)
    for (const entry of group) entry.queued = false
    commitGroup(group)
    if (queue.length > 0 && !scheduled) schedule()
  }

  const drain = () => run(false)

  const enqueue = (entry: Entry) => {
    entry.queued = true
    queue.push(entry)
  }

  const dequeue = (entry: Entry) =>
    Effect.sync(() => {
      if (!entry.queued) return
      entry.queued = false
      const index = queue.indexOf(entry)
      if (index >= 0) queue.splice(index, 1)
    })

  /** Waits for an entry's outcome, taking it out of the queue if interrupted first. */
  const awaitOutcome = (entry: Entry): Effect.Effect<unknown, unknown> =>
    entry.outcome !== undefined
      ? entry.outcome
      : Effect.async((resume) => {
          entry.resume = resume
          return dequeue(entry)
        })

  const write = <A, E>(body: Body<A, E>, oneStatement = false, lone?: Lone<A, E>): Effect.Effect<A, E | SqlError> =>
    Effect.withFiberRuntime((fiber) => {
      const entry: Entry = {
        body: body as Body<unknown, unknown>,
        oneStatement,
        lone: lone as Lone<unknown, unknown> | undefined,
        resume: undefined,
        outcome: undefined,
        attempts: 0,
        queued: false
      }
      enqueue(entry)
      if (scheduled) return awaitOutcome(entry) as Effect.Effect<A, E | SqlError>
      scheduled = true
      const writer = fiber.id().id
      if (!grouping && writer === lastWriter) {
        // The same fiber writes again, and wrote alone last time: nobody to wait for.
        drain()
        return awaitOutcome(entry) as Effect.Effect<A, E | SqlError>
      }
      lastWriter = writer
      // Let the fibers that are runnable now queue their writes, then run the group.
      return Effect.uninterruptibleMask((restore) =>
        Effect.zipRight(
          Effect.yieldNow(),
          Effect.suspend(() => {
            drain()
            return restore(awaitOutcome(entry))
          })
        )
      ) as Effect.Effect<A, E | SqlError>
    })

  const close = () => {
    closed = true
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    const pending = queue
    queue = []
    fail(pending, closedError())
  }

  return { write, close }
}
