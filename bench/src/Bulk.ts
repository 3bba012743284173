/**
 * Fast setup for the large read workload: the data rows inserted with raw SQL in one transaction, bypassing any store.
 * Only the read is measured, so how the data got there does not matter, only that it is the data the store writes.
 * (The in-memory store has no such path: its data must live in the measuring process, so it appends it.)
 *
 * @since 0.1.0
 */
import type Database from "better-sqlite3"
import * as BareStore from "./BareStore.js"
import * as Payload from "./Payload.js"
import * as Seed from "./Seed.js"
import type { Params } from "./Workload.js"

/**
 * Inserts the `read-all` data layout (`Seed.plan`) into the events table of an open database, in one transaction.
 *
 * @since 0.1.0
 * @category constructors
 */
export const insert = (db: Database.Database, params: Params): void => {
  const statement = db.prepare(BareStore.insertSql)
  const recordedAt = Date.now()
  db.transaction(() => {
    for (const append of Seed.plan(params, false)) {
      for (let i = 0; i < append.events.length; i++) {
        const payload = Payload.encode(append.events[i]!)
        const version = append.expectedVersion + i + 1
        statement.run(append.streamId, version, crypto.randomUUID(), payload.type, payload.data, "{}", recordedAt)
      }
    }
  })()
}
