/**
 * The commands that maintain a store: `checkpoints` (and `checkpoints reset`) and `migrate`.
 *
 * The `chronicle` bin's own module (not exported).
 */
import { CheckpointStore, Position, StoreAdmin } from "@chronicle/core"
import { Args, Command, Options } from "@effect/cli"
import { Effect } from "effect"
import * as Count from "../../Count.js"
import * as Flags from "../Flags.js"
import * as Output from "../Output.js"
import { checkedOnStore, description, onStore } from "../Run.js"
import * as Stores from "../Stores.js"

/** `chronicle checkpoints reset`. */
export const reset = Command.make(
  "reset",
  {
    ...Flags.store,
    to: Flags.textOf("to", "POS", "the position to move the checkpoint to (default: 0, the start)"),
    name: Args.text({ name: "NAME" }).pipe(Args.withDescription("the projection whose checkpoint moves"))
  },
  (flags) =>
    checkedOnStore(
      "chronicle checkpoints reset",
      flags,
      "read",
      Flags.position("chronicle checkpoints reset", "to", flags.to),
      (given) =>
        Effect.gen(function* () {
          const to = given ?? Position.start
          const store = yield* CheckpointStore.CheckpointStore
          const known = yield* store.list
          if (!known.some((c) => c.name === flags.name)) {
            return yield* new Flags.Failure({
              line: `no checkpoint named ${JSON.stringify(flags.name)}; chronicle checkpoints lists them`,
              usage: false
            })
          }
          const moved = yield* CheckpointStore.reset(flags.name, to)
          const replay = yield* StoreAdmin.countAfter(to)
          yield* Output.print(
            `Checkpoint ${JSON.stringify(flags.name)} moved from ${Position.format(moved.from)} to ${Position.format(moved.to)}: ` +
              `its projection will apply the ${Count.of(replay, "event")} after it (its read model is left as it is)`
          )
        })
    )
).pipe(
  Command.withDescription(
    description(
      "Moves a projection's checkpoint (to the start, or to --to POS) in one commit from where it is. Only the checkpoint moves: empty the read model first, or its projection applies the events after the new position again. A runner still running fails its next commit (CheckpointConflict) instead of overwriting the reset.",
      "chronicle checkpoints reset account-balances --db app.db",
      "chronicle checkpoints reset account-balances --db app.db --to 1200"
    )
  )
)

/** `chronicle checkpoints`. */
export const checkpoints = Command.make("checkpoints", { ...Flags.store, json: Flags.json }, (flags) =>
  Effect.gen(function* () {
    const store = yield* CheckpointStore.CheckpointStore
    const list = yield* store.list
    const rows = yield* Effect.forEach(list, (c) =>
      Effect.map(StoreAdmin.countAfter(c.position), (lag) => ({
        name: c.name,
        position: Position.format(c.position),
        lag
      }))
    )
    if (flags.json) return yield* Output.print(Output.jsonLines(rows))
    if (rows.length === 0) return yield* Output.print(Output.dim("no checkpoints"))
    yield* Output.print(
      Output.renderTable(
        ["PROJECTION", "POSITION", "LAG"],
        ["left", "right", "right"],
        rows.map((r) => [r.name, r.position, Count.format(r.lag)])
      )
    )
  }).pipe((program) => onStore("chronicle checkpoints", flags, "read", program))
).pipe(
  Command.withDescription(
    description(
      "Every projection's checkpoint: the position of the last event it applied, and its lag, the events after it.",
      "chronicle checkpoints --db app.db",
      "chronicle checkpoints reset account-balances --db app.db"
    )
  ),
  Command.withSubcommands([reset])
)

/** `chronicle migrate`. */
export const migrate = Command.make(
  "migrate",
  {
    ...Flags.store,
    json: Flags.json,
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("list the pending migrations; change nothing"))
  },
  (flags) =>
    Effect.gen(function* () {
      const backend = yield* Stores.select("chronicle migrate", flags)
      const before = yield* backend.status
      const appliedNow = flags.dryRun ? [] : yield* backend.migrate
      const now = new Set(appliedNow.flatMap((t) => t.applied.map((m) => `${t.table.table}/${m.id}`)))
      const rows = before.flatMap((t) => [
        ...t.applied.map((m) => ({ kind: t.kind, table: t.table, migration: `${m.id}_${m.name}`, status: "applied" })),
        ...t.pending.map((m) => ({
          kind: t.kind,
          table: t.table,
          migration: `${m.id}_${m.name}`,
          status: now.has(`${t.table}/${m.id}`) ? "applied now" : "pending"
        }))
      ])
      if (flags.json) return yield* Output.print(Output.jsonLines(rows))
      const pending = rows.filter((r) => r.status === "pending").length
      const summary = flags.dryRun
        ? pending === 0
          ? "Nothing to migrate."
          : `${Count.of(pending, "pending migration")}; run chronicle migrate without --dry-run to apply them.`
        : now.size === 0
          ? "Nothing to migrate."
          : `Applied ${Count.of(now.size, "migration")}.`
      yield* Output.print(
        `${Output.renderTable(
          ["TABLE", "MIGRATION", "STATUS"],
          ["left", "left", "left"],
          rows.map((r) => [r.table, r.migration, r.status])
        )}\n${summary}`
      )
    }).pipe(Effect.mapError(Flags.toFailure))
).pipe(
  Command.withDescription(
    description(
      "Applies the pending schema migrations of every table (events, checkpoints, snapshots), each table's in one transaction, creating the database file if there is none; --dry-run only lists them.",
      "chronicle migrate --db app.db --dry-run",
      "chronicle migrate --db app.db"
    )
  )
)
