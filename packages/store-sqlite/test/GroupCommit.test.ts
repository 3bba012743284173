import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import type { SyncSql } from "../src/internal/access.js"
import * as GroupCommit from "../src/internal/groupCommit.js"

const unusedSql: SyncSql = {
  rows: () => [],
  value: () => undefined,
  insert: () => 0,
  exec: () => {}
}

/** A connection that logs the statements the writer runs around the bodies. */
const scripted = (options: { readonly commitFails?: boolean } = {}) => {
  const log: Array<string> = []
  let open = false
  let inApplicationTransaction = false
  let freeWaiter: (() => void) | undefined
  const connection: GroupCommit.Connection = {
    sql: unusedSql,
    inTransaction: () => open || inApplicationTransaction,
    begin: () => {
      log.push("begin")
      open = true
    },
    commit: () => {
      log.push("commit")
      if (options.commitFails) throw Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" })
      open = false
    },
    rollback: () => {
      if (!open) return
      log.push("rollback")
      open = false
    },
    savepoint: () => log.push("savepoint"),
    release: () => log.push("release"),
    rollbackToSavepoint: () => log.push("rollback to savepoint")
  }
  const writer = GroupCommit.make({
    connection,
    whenFree: (run) => {
      freeWaiter = run
    },
    onCommit: () => log.push("onCommit")
  })
  const body =
    (name: string, outcome: Either.Either<string, string> = Either.right(name)) =>
    () => {
      log.push(name)
      return outcome
    }
  return {
    log,
    writer,
    body,
    openApplicationTransaction: () => {
      inApplicationTransaction = true
    },
    endApplicationTransaction: () => {
      inApplicationTransaction = false
      freeWaiter?.()
    }
  }
}

describe("GroupCommit", () => {
  it.effect("a lone write runs in a plain transaction, without savepoints", () =>
    Effect.gen(function* () {
      const { body, log, writer } = scripted()
      assert.strictEqual(yield* writer.write(body("a")), "a")
      assert.deepStrictEqual(log, ["begin", "a", "commit", "onCommit"])
    })
  )

  it.effect("a lone write with a one-statement form runs that statement alone: no transaction around it", () =>
    Effect.gen(function* () {
      const { body, log, writer } = scripted()
      const lone = (name: string, outcome: Either.Either<string, string> | undefined | Error) => () => {
        log.push(name)
        if (outcome instanceof Error) throw outcome
        return outcome
      }
      assert.strictEqual(yield* writer.write(body("a"), true, lone("lone a", Either.right("A"))), "A")
      assert.deepStrictEqual(log.splice(0), ["lone a", "onCommit"])
      // It wrote nothing: the body decides, in a transaction.
      assert.strictEqual(yield* writer.write(body("b"), true, lone("lone b", undefined)), "b")
      assert.deepStrictEqual(log.splice(0), ["lone b", "begin", "b", "commit", "onCommit"])
      // A unique index refused it: likewise.
      const unique = Object.assign(new Error("UNIQUE constraint failed"), { code: "SQLITE_CONSTRAINT_UNIQUE" })
      assert.strictEqual(yield* writer.write(body("c"), true, lone("lone c", unique)), "c")
      assert.deepStrictEqual(log.splice(0), ["lone c", "begin", "c", "commit", "onCommit"])
      // So does any other constraint (a NOT NULL column).
      const notNull = Object.assign(new Error("NOT NULL constraint failed"), { code: "SQLITE_CONSTRAINT_NOTNULL" })
      assert.strictEqual(yield* writer.write(body("c2"), true, lone("lone c2", notNull)), "c2")
      assert.deepStrictEqual(log.splice(0), ["lone c2", "begin", "c2", "commit", "onCommit"])
      // A typed failure of its own is its answer; any other error fails it; neither commits anything.
      assert.deepStrictEqual(
        yield* Effect.either(writer.write(body("d"), true, lone("lone d", Either.left("refused")))),
        Either.left("refused")
      )
      const io = Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" })
      const failed = yield* Effect.either(writer.write(body("e"), true, lone("lone e", io)))
      assert.isTrue(Either.isLeft(failed) && (failed.left as { cause?: unknown }).cause === io)
      assert.deepStrictEqual(log.splice(0), ["lone d", "lone e"])
      // In a group of several, each write runs its body in the group's transaction.
      yield* Effect.all(
        [
          writer.write(body("f"), true, lone("lone f", Either.right("F"))),
          writer.write(body("g"), true, lone("lone g", Either.right("G")))
        ],
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(log.splice(0), ["begin", "f", "g", "commit", "onCommit"])
    })
  )

  it.effect("a lone statement that finds the database busy is run again after a backoff", () =>
    Effect.gen(function* () {
      const { body, log, writer } = scripted()
      let tries = 0
      const busy = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" })
      const lone = () => {
        log.push(`lone ${++tries}`)
        if (tries === 1) throw busy
        return Either.right("A")
      }
      assert.strictEqual(yield* writer.write(body("a"), true, lone), "A")
      assert.deepStrictEqual(log, ["lone 1", "lone 2", "onCommit"])
    })
  )

  it.effect("writes queued together share one transaction; answers come after the commit", () =>
    Effect.gen(function* () {
      const { body, log, writer } = scripted()
      const answered = (name: string) => (outcome: unknown) =>
        Effect.sync(() => log.push(`answer ${name}`, String(outcome)))
      yield* Effect.all(
        [
          writer.write(body("a")).pipe(Effect.either, Effect.flatMap(answered("a"))),
          writer.write(body("b", Either.left("refused"))).pipe(Effect.either, Effect.flatMap(answered("b")))
        ],
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(log.slice(0, 9), [
        "begin",
        "savepoint",
        "a",
        "release",
        "savepoint",
        "b",
        "rollback to savepoint",
        "commit",
        "onCommit"
      ])
      assert.deepStrictEqual(
        log.slice(9).filter((line) => line.startsWith("answer")),
        ["answer a", "answer b"]
      )
    })
  )

  it.effect("a write of one statement shares the transaction without a savepoint", () =>
    Effect.gen(function* () {
      const { body, log, writer } = scripted()
      yield* Effect.all([writer.write(body("a"), true), writer.write(body("b", Either.left("refused")), true)], {
        concurrency: "unbounded",
        mode: "either"
      })
      assert.deepStrictEqual(log, ["begin", "a", "b", "commit", "onCommit"])
    })
  )

  it.effect("a failed commit rolls back and fails every write of the group", () =>
    Effect.gen(function* () {
      const { body, log, writer } = scripted({ commitFails: true })
      const results = yield* Effect.all([writer.write(body("a")), writer.write(body("b"))].map(Effect.either), {
        concurrency: "unbounded"
      })
      for (const result of results) {
        assert.isTrue(Either.isLeft(result))
        if (Either.isLeft(result))
          assert.strictEqual((result.left as { cause?: { code?: string } }).cause?.code, "SQLITE_IOERR")
      }
      assert.deepStrictEqual(log.slice(-2), ["commit", "rollback"])
      assert.notInclude(log, "onCommit")
    })
  )

  it.effect("while an application transaction is open, the group waits until it has ended", () =>
    Effect.gen(function* () {
      const { body, endApplicationTransaction, log, openApplicationTransaction, writer } = scripted()
      openApplicationTransaction()
      const fiber = yield* Effect.fork(
        Effect.all([writer.write(body("a")), writer.write(body("b"))], { concurrency: 2 })
      )
      yield* Effect.yieldNow()
      yield* Effect.yieldNow()
      assert.deepStrictEqual(log, [])
      endApplicationTransaction()
      assert.deepStrictEqual(yield* fiber.await.pipe(Effect.flatten), ["a", "b"])
      assert.deepStrictEqual(log[0], "begin")
    })
  )

  it.effect("close fails what is still queued", () =>
    Effect.gen(function* () {
      const { body, openApplicationTransaction, writer } = scripted()
      openApplicationTransaction()
      const fiber = yield* Effect.fork(Effect.either(writer.write(body("a"))))
      yield* Effect.yieldNow()
      yield* Effect.yieldNow()
      writer.close()
      const result = yield* fiber.await.pipe(Effect.flatten)
      assert.isTrue(Either.isLeft(result))
    })
  )
})
