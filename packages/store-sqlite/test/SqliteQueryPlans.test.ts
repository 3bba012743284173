// Filtered reads use the indexes: SQLite's plans (EXPLAIN QUERY PLAN) for a read by tag search the tags' primary key
// (tag, position), and for a read by type the type index's primary key (type, position) and, for the newest events
// not in a run of it yet, a range of positions; never a scan of the events table; a category
// read walks the global order by position (a range of the primary key, filtered by prefix), as ARCHITECTURE.md says.
import * as path from "node:path"
import { EventStore, Position, Query } from "@chronicle/core"
import type { StorageEngine } from "@chronicle/core/engine"
import { SqlEngine } from "@chronicle/sql"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { dialect } from "../src/internal/dialect.js"
import { SqliteEventStore } from "../src/index.js"
import { tempDir } from "./fixtures/tempDir.js"

/** The details of the plan of a filtered read's statement on the file. */
const planOf = (file: string, filter: StorageEngine.EventFilter) => {
  const [text, params] = dialect
    .events(SqlEngine.defaultTables)
    .statements.readFiltered(filter, Position.start, 100, "global")
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as ReadonlyArray<{ readonly detail: string }>).map(
      (row) => row.detail
    )
  } finally {
    db.close()
  }
}

const scansEvents = (plan: ReadonlyArray<string>) => plan.some((detail) => /^SCAN chronicle_events\b/.test(detail))

describe("SQLite filtered reads use the indexes", () => {
  it.scoped(
    "by tag: the tags' primary key; by type: the type index and the newest positions; no scan of the events",
    () =>
      Effect.gen(function* () {
        const file = path.join(yield* tempDir("plans"), "plans.db")
        yield* Effect.gen(function* () {
          for (let n = 0; n < 20; n++) {
            yield* EventStore.append(
              `Plan-${n}`,
              Array.from({ length: 10 }, (_, i) => ({ type: `T${i}`, data: { i }, tags: [`t:${n}`, `u:${i}`] }))
            )
          }
        }).pipe(Effect.provide(SqliteEventStore.layer({ filename: file })))

        const byTag = planOf(file, { query: Query.item({ tags: ["t:3"] }) })
        assert.isTrue(
          byTag.some((d) => /^SEARCH \w+ USING PRIMARY KEY \(tag=\? AND position>\? AND position<\?\)/.test(d)),
          byTag.join("\n")
        )
        assert.isFalse(scansEvents(byTag), byTag.join("\n"))

        const twoTags = planOf(file, { query: Query.item({ tags: ["t:3", "u:4"], types: ["T4"] }) })
        assert.isTrue(
          twoTags.some((d) => /USING PRIMARY KEY \(tag=/.test(d)),
          twoTags.join("\n")
        )
        assert.isFalse(scansEvents(twoTags), twoTags.join("\n"))

        const byType = planOf(file, { query: Query.item({ types: ["T2", "T5"] }) })
        // The type index's runs by its primary key, the newest events (not in a run yet) by a range of positions.
        assert.isTrue(
          byType.some((d) => /SEARCH chronicle_events_types USING PRIMARY KEY \(type=\? AND position>\?/.test(d)),
          byType.join("\n")
        )
        assert.isTrue(
          byType.some((d) => /SEARCH chronicle_events USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/.test(d)),
          byType.join("\n")
        )
        assert.isFalse(scansEvents(byType), byType.join("\n"))

        const category = planOf(file, { category: "Plan-1" })
        assert.isTrue(
          category.some((d) => /SEARCH chronicle_events USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/.test(d)),
          category.join("\n")
        )
      })
  )
})
