// Filtered reads use the indexes: PostgreSQL's plans (EXPLAIN, on analyzed tables of 100,000 events) for a read by tag
// go through the tags' primary key (tag, transaction_id, seq), for a read by type through the (type, transaction_id,
// seq) index, and fetch the events by their primary key: no sequential scan of the events table. A category read
// walks the global order (the primary key) filtering by prefix, as ARCHITECTURE.md says.
import { Position, Query } from "@chronicle/core"
import type { StorageEngine } from "@chronicle/core/engine"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { dialect } from "../src/internal/dialect.js"
import { applicationClient, openOver } from "./fixtures/applicationClient.js"

const url = await testDatabase("plans")
const tables = { events: "plans_events", migrations: "plans_m" }

describe("PostgreSQL filtered reads use the indexes", () => {
  it.scoped(
    "by tag: the tags' primary key; by type: the (type, position) index; no sequential scan of the events",
    () =>
      Effect.gen(function* () {
        const { sql, store } = yield* openOver(applicationClient(url), "plans")
        yield* store.append("Plan-first", [{ type: "T0", data: {}, tags: ["t:0"] }])
        // 100,000 events in one statement (the trigger indexes their tags): 1,000 streams of 100, a tag per stream
        // (0.1% of the events each) and 100 types (1% each).
        yield* sql.unsafe(
          "INSERT INTO plans_events (stream_id, version, event_id, type, data, metadata, recorded_at, tags) " +
            "SELECT 'Plan-' || (g / 100), g % 100 + 1, gen_random_uuid(), 'T' || (g % 100), '{}', '{}', 0, " +
            "json_build_array('t:' || (g / 100), 'u:' || (g % 100)) FROM generate_series(0, 99999) AS g"
        )
        yield* sql.unsafe("ANALYZE plans_events")
        yield* sql.unsafe("ANALYZE plans_events_tags")
        const planOf = (filter: StorageEngine.EventFilter) =>
          Effect.map(
            sql.unsafe<{ readonly "QUERY PLAN": string }>(
              `EXPLAIN ${dialect.events(tables).statements.readFiltered(filter, Position.start, 100, "global")[0]}`,
              [...dialect.events(tables).statements.readFiltered(filter, Position.start, 100, "global")[1]]
            ),
            (rows) => rows.map((row) => row["QUERY PLAN"]).join("\n")
          )
        const seqScan = /Seq Scan on plans_events\b(?!_tags)/
        const uses = (index: string) => new RegExp(`(Index (Only )?Scan using|Bitmap Index Scan on) ${index}\\b`)

        const byTag = yield* planOf({ query: Query.item({ tags: ["t:7"] }) })
        assert.match(byTag, uses("plans_events_tags_pkey"), byTag)
        assert.match(byTag, uses("plans_events_pkey"), byTag)
        assert.notMatch(byTag, seqScan, byTag)

        const byType = yield* planOf({ query: Query.item({ types: ["T3", "T4"] }) })
        assert.match(byType, uses("plans_events_types"), byType)
        assert.notMatch(byType, seqScan, byType)

        const category = yield* planOf({ category: "Plan-1" })
        assert.match(category, uses("plans_events_pkey"), category)
      })
  )
})
