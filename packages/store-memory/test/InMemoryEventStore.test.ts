import { InMemoryEventStore } from "@chronicle/store-memory"
import { eventStoreSuite, storeAdminSuite } from "@chronicle/testkit/vitest"

eventStoreSuite("in-memory", InMemoryEventStore.layer)
storeAdminSuite("in-memory", InMemoryEventStore.layer)
