/**
 * Fast setup for the large read workload: the data rows inserted with raw SQL in one transaction, bypassing any store.
 * Only the read is measured, so how the data got there does not matter, only that it is the data the store writes.
 * (The in-memory stores have no such path: their data must live in the measuring process, so they append it.)
 *
 * @since 0.1.0
 */
import type * as BareStore from "./BareStore.js"
import * as Payload from "./Payload.js"
import * as Seed from "./Seed.js"
import type { Params } from "./Workload.js"

/**
 * Inserts the `read-all` data layout (`Seed.plan`) into the table of an open bare store (the SQLite store's own table
 * for `bare` and `sqlite`), in one transaction.
 *
 * @since 0.1.0
 * @category constructors
 */
export const insert = (store: BareStore.BareStore, params: Params): void => {
  const statement = store.db.prepare(store.layout.insert)
  const recordedAt = Date.now()
  store.db.transaction(() => {
    for (const append of Seed.plan(params, false)) {
      for (let i = 0; i < append.events.length; i++) {
        const payload = Payload.encode(append.events[i]!)
        statement.run(store.layout.row(append.streamId, append.expectedVersion + i + 1, payload, recordedAt))
      }
    }
  })()
}
