import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { AccountBalances } from "@chronicle/bank-account"
import { CheckpointStore, EventStore, Position, ProjectionRunner } from "@chronicle/core"
import * as ProgramRun from "@chronicle/example-cli/ProgramRun"
import { createDatabase } from "@chronicle/postgres-server"
import { serverUrl } from "@chronicle/postgres-server/vitest"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as AccountBalancesTable from "../src/AccountBalancesTable.js"
import { seed } from "../src/Seed.js"
import * as Stores from "../src/Stores.js"

/** Where a test keeps its stores: a new SQLite file, or a new PostgreSQL database; and the layer over them. */
const databases = {
  SQLite: {
    make: Effect.acquireRelease(
      Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-balances-"))),
      (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
    ).pipe(Effect.map((dir) => path.join(dir, "bank.db"))),
    layer: Stores.layer
  },
  PostgreSQL: {
    make: Effect.acquireRelease(
      Effect.promise(() => createDatabase(serverUrl(), "balances")),
      (database) => Effect.promise(() => database.drop())
    ).pipe(Effect.map((database) => database.url)),
    layer: Stores.layerPostgres
  }
} as const

/** The table, and the in-memory model replayed up to `position`, as comparable rows. */
const tableAndReplay = (position: Position.Position) =>
  Effect.gen(function* () {
    const rows = yield* AccountBalancesTable.accounts
    const replay = AccountBalances.accounts(yield* AccountBalances.asOf(position))
    const plain = (r: AccountBalances.AccountBalance) => ({ ...r, lastUpdated: r.lastUpdated.getTime() })
    return { table: rows.map(plain), replay: replay.map(plain) }
  })

/**
 * A position as the count of events up to it, on a store written by one writer without rollbacks: SQLite's counter,
 * PostgreSQL's sequence (the second number of its pairs).
 */
const counter = (position: Position.Position) => Number(Position.format(position).split(":").at(-1))

describe.each(Object.entries(databases))("account_balances on %s", (_, database) => {
  it.scoped("the table kept by the projection equals an in-memory replay", () =>
    Effect.gen(function* () {
      const location = yield* database.make
      yield* Effect.gen(function* () {
        yield* AccountBalancesTable.migrate
        yield* seed(40, 20)
        const done = yield* ProjectionRunner.catchUp(AccountBalancesTable.projection, { pageSize: 64 })
        const { replay, table } = yield* tableAndReplay(done.position)
        assert.strictEqual(table.length, 40)
        assert.deepStrictEqual(table, replay)
        assert.strictEqual(
          yield* AccountBalancesTable.totalHeld,
          AccountBalances.totalHeld(yield* AccountBalances.asOf(done.position))
        )
      }).pipe(Effect.provide(database.layer(location)))
    })
  )

  it.live(
    "a runner killed mid-catch-up resumes from its checkpoint and ends equal to a from-scratch replay",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const location = yield* database.make
          const head = yield* Effect.gen(function* () {
            yield* seed(200, 29)
            return yield* Effect.flatMap(EventStore.EventStore, (s) => s.headPosition)
          }).pipe(Effect.provide(database.layer(location)))
          // The seed wrote 6,000 events.
          assert.strictEqual(counter(head), 6000)

          const child = ProgramRun.start(
            process.execPath,
            ProgramRun.tsxArguments(path.join(import.meta.dirname, "fixtures", "catchUpChild.ts"), [location]),
            { cwd: path.join(import.meta.dirname, "..") }
          )
          yield* Effect.addFinalizer(() => Effect.sync(() => child.process.kill("SIGKILL")))
          const reached = () =>
            Math.max(0, ...[...child.stdout().matchAll(/progress (?:\d+:)?(\d+)/g)].map((m) => Number(m[1])))
          while (reached() < 1500) {
            if (child.process.exitCode !== null) assert.fail(`the runner exited early: ${child.stderr()}`)
            yield* Effect.sleep("10 millis")
          }
          child.process.kill("SIGKILL")
          const ended = yield* Effect.promise(() => child.ended)
          assert.strictEqual(ended.signal, "SIGKILL")
          assert.notInclude(ended.stdout, "done")

          yield* Effect.gen(function* () {
            const checkpoints = yield* CheckpointStore.CheckpointStore
            const checkpoint = yield* checkpoints.load(AccountBalancesTable.projection.name)
            assert.isTrue(Position.isAfter(checkpoint, Position.start))
            assert.isTrue(Position.isBefore(checkpoint, head))
            // The table holds exactly the events up to the checkpoint: update and checkpoint committed together.
            const killed = yield* tableAndReplay(checkpoint)
            assert.deepStrictEqual(killed.table, killed.replay)

            const resumed = yield* ProjectionRunner.catchUp(AccountBalancesTable.projection, { pageSize: 500 })
            assert.deepStrictEqual(resumed.position, head)
            assert.strictEqual(resumed.processed, counter(head) - counter(checkpoint))
            const finished = yield* tableAndReplay(head)
            assert.strictEqual(finished.table.length, 200)
            assert.deepStrictEqual(finished.table, finished.replay)
          }).pipe(Effect.provide(database.layer(location)))
        })
      ),
    60_000
  )
})
