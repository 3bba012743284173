import { InMemoryEventStore } from "@chronicle/store-memory"
import { eventStoreSuite } from "@chronicle/testkit"

eventStoreSuite("in-memory", InMemoryEventStore.layer)
