import { InMemoryEventStore } from "@chronicle/store-memory"
import { eventStoreSuite } from "@chronicle/testkit/vitest"

eventStoreSuite("in-memory", InMemoryEventStore.layer)
