import { testDatabase } from "@chronicle/postgres-server/vitest"
import { eventStoreSuite } from "@chronicle/testkit/vitest"
import { Layer } from "effect"
import { PostgresEventStore } from "../src/index.js"

const url = await testDatabase("conformance")

eventStoreSuite(
  "PostgresEventStore.layer (a pool of its own, from a URL)",
  Layer.suspend(() => PostgresEventStore.layer({ url }))
)
