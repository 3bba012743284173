/**
 * What a backend is: the services it opens, its migrations, and the one error of a store that cannot be used.
 *
 * The `chronicle` bin's own module (not exported).
 */
import type { CheckpointStore, EventStore, StoreAdmin } from "@chronicle/core"
import type { SqlSchema } from "@chronicle/sql"
import { Either, type Effect, type Layer, Schema } from "effect"

/** The services every command runs on. */
export type Services = EventStore.EventStore | StoreAdmin.StoreAdmin | CheckpointStore.CheckpointStore

/**
 * A store that cannot be used as asked: no such file, not a Chronicle database, a server that cannot be reached, a
 * refused password, a bad URL, a database that needs migrations. One line, exit code 1.
 */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>("@chronicle/cli/StoreUnavailable")(
  "StoreUnavailable",
  { problem: Schema.String }
) {
  override get message(): string {
    return this.problem
  }
}

/**
 * What a command does to the store: `read` needs a Chronicle database that exists and is migrated; `write` (import)
 * also accepts a file that does not exist yet, and creates it.
 */
export type Access = "read" | "write"

/** A database a command can use. */
export interface Backend {
  /** How the store is named in messages: `SQLite file ./app.db`. */
  readonly label: string
  /** The services, after checking the database is one the command can use. */
  readonly services: (access: Access) => Layer.Layer<Services, StoreUnavailable>
  /** Every table and its migrations; writes nothing. */
  readonly status: Effect.Effect<ReadonlyArray<SqlSchema.TableStatus>, StoreUnavailable>
  /** Applies the pending migrations; returns what it applied. */
  readonly migrate: Effect.Effect<
    ReadonlyArray<{ readonly table: SqlSchema.Table; readonly applied: ReadonlyArray<SqlSchema.Migration> }>,
    StoreUnavailable
  >
}

/**
 * Whether a database can be used, from its tables' status: it must have the events table (unless `missingEvents` is
 * `"create"`: an import into an empty PostgreSQL database creates it) and no table may have pending migrations (`run`
 * names the migrate command to run). Returns whether it has a checkpoint table.
 */
export const judge = (
  label: string,
  tables: ReadonlyArray<SqlSchema.TableStatus>,
  options: { readonly missingEvents: "refuse" | "create"; readonly run: string }
): Either.Either<{ readonly checkpoints: boolean }, StoreUnavailable> => {
  const events = tables.find((t) => t.kind === "events")!
  if (!events.exists) {
    return options.missingEvents === "create"
      ? Either.right({ checkpoints: false })
      : Either.left(
          new StoreUnavailable({ problem: `${label} is not a Chronicle database: it has no ${events.table} table` })
        )
  }
  const pending = tables.filter((t) => (t.exists || t.kind === "events") && t.pending.length > 0)
  if (pending.length > 0) {
    const what = pending.map((t) => `${t.kind}: ${t.pending.map((m) => `${m.id}_${m.name}`).join(", ")}`).join("; ")
    return Either.left(new StoreUnavailable({ problem: `${label} needs migrations (${what}); run: ${options.run}` }))
  }
  return Either.right({ checkpoints: tables.some((t) => t.kind === "checkpoints" && t.exists) })
}

/** An error and its causes, outermost first (at most eight): where drivers keep their codes and messages. */
export const causes = (error: unknown): ReadonlyArray<{ readonly code?: unknown; readonly message?: unknown }> => {
  const chain: Array<{ readonly code?: unknown; readonly message?: unknown }> = []
  let current = error
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    chain.push(current)
    current = (current as { readonly cause?: unknown }).cause
  }
  return chain
}
