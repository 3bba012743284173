import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { eventStoreSuite } from "@chronicle/testkit"
import { afterAll } from "@effect/vitest"
import { SqliteEventStore } from "../src/index.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-sqlite-suite-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

eventStoreSuite("SqliteEventStore (file)", SqliteEventStore.layer({ filename: path.join(dir, "events.db") }))
eventStoreSuite("SqliteEventStore (:memory:)", SqliteEventStore.layer({ filename: ":memory:" }))
