// Why the append rule refuses a batch or an imported run: each reason, with the event and version it names.
import { ExpectedVersion } from "@chronicle/core"
import { AppendRule } from "@chronicle/core/engine"
import { assert, describe, it } from "@effect/vitest"
import { type Prepared, prepared, request, stored, streamId } from "./fixtures/appendRule.js"

const ids = (n: number) => Array.from({ length: n }, () => crypto.randomUUID())

describe("AppendRule.decide: why a batch whose ids are stored is not a repeat", () => {
  const duplicate = (batch: ReadonlyArray<Prepared>, facts: AppendRule.Facts) => {
    const decision = AppendRule.decide(request(batch, ExpectedVersion.any), facts)
    assert.strictEqual(decision._tag, "Duplicate")
    return decision._tag === "Duplicate" ? { eventId: decision.error.eventId, reason: decision.error.reason } : {}
  }
  const [a, b, c] = ids(3) as [string, string, string]
  const events = [prepared(1, a), prepared(2, b), prepared(3, c)]

  it("a new first event before stored ones: names the first stored one", () => {
    assert.deepStrictEqual(
      duplicate([prepared(0, crypto.randomUUID()), events[1]!], { version: 3, stored: stored(events).slice(1, 2) }),
      {
        eventId: b,
        reason: "the batch mixes new events with events stored before"
      }
    )
  })

  it("a stored first event before new ones: names the first event", () => {
    assert.deepStrictEqual(
      duplicate([events[0]!, prepared(9, crypto.randomUUID())], { version: 3, stored: stored(events).slice(0, 1) }),
      {
        eventId: a,
        reason: "the batch mixes new events with events stored before"
      }
    )
  })

  it("stored in another order: names the first event out of place", () => {
    const swapped = [...stored([events[1]!], 1), ...stored([events[0]!], 2)]
    assert.deepStrictEqual(
      duplicate([events[1]!, events[2]!], { version: 3, stored: [swapped[0]!, ...stored([events[2]!], 3)] }),
      {
        eventId: c,
        reason: "the stored events with these ids are not in the batch's order"
      }
    )
  })

  it("the same id with another type or other data: names that event", () => {
    const retyped = prepared(1, a, "Decremented")
    assert.deepStrictEqual(duplicate([retyped], { version: 3, stored: stored(events).slice(0, 1) }), {
      eventId: a,
      reason: "the same id was stored with a different payload"
    })
  })
})

describe("AppendRule.decideImport: where and why a run conflicts", () => {
  const conflict = (run: AppendRule.ImportRun, facts: AppendRule.Facts) => {
    const decision = AppendRule.decideImport(run, facts)
    assert.strictEqual(decision._tag, "Conflict")
    return decision._tag === "Conflict"
      ? { version: decision.error.version, eventId: decision.error.eventId, reason: decision.error.reason }
      : {}
  }
  const [a, b, c] = ids(3) as [string, string, string]
  const events = [prepared(1, a), prepared(2, b), prepared(3, c)]

  it("a stored event of the run at another version than the run's", () => {
    // The stream holds b at version 1 and a at version 2: the run says a is version 1.
    const facts = { version: 2, stored: [...stored([events[1]!], 1), ...stored([events[0]!], 2)] }
    assert.deepStrictEqual(conflict({ streamId, firstVersion: 1, events: events.slice(0, 2) }, facts), {
      version: 1,
      eventId: a,
      reason: "the event id is stored in the stream at another version"
    })
  })

  it("the run's events stored in its order but at later versions: the first, stored at another version", () => {
    // The stream holds two other events, then a at version 3 and b at 4; the run says a is version 1.
    const facts = { version: 4, stored: stored(events.slice(0, 2), 3) }
    assert.deepStrictEqual(conflict({ streamId, firstVersion: 1, events: events.slice(0, 2) }, facts), {
      version: 1,
      eventId: a,
      reason: "the event id is stored in the stream at another version"
    })
  })

  it("a stored event of the run with another type", () => {
    const facts = { version: 1, stored: stored([prepared(1, a, "Decremented")]) }
    assert.deepStrictEqual(conflict({ streamId, firstVersion: 1, events }, facts), {
      version: 1,
      eventId: a,
      reason: "the same id was stored with a different payload"
    })
  })

  it("a stored part that holds the run's first events and then another: the first event not stored, at its version", () => {
    // The stream holds a at version 1, and at version 2 an event that is not b.
    const facts = { version: 2, stored: stored([events[0]!], 1) }
    assert.deepStrictEqual(conflict({ streamId, firstVersion: 1, events: events.slice(0, 2) }, facts), {
      version: 2,
      eventId: b,
      reason: "the stream holds another event at version 2"
    })
  })

  it("a stored part that matches the run up to an event stored with other data: that event", () => {
    const facts = { version: 3, stored: stored([events[0]!, events[1]!, prepared(30, c)], 1) }
    assert.deepStrictEqual(conflict({ streamId, firstVersion: 1, events }, facts), {
      version: 3,
      eventId: c,
      reason: "the same id was stored with a different payload"
    })
  })

  it("a run starting past the stream's end: the first version it would write", () => {
    assert.deepStrictEqual(conflict({ streamId, firstVersion: 3, events }, { version: 1, stored: [] }), {
      version: 3,
      eventId: a,
      reason: "the stream is at version 1, so version 3 would leave a gap"
    })
  })

  it("a new event of the run whose id the stream holds elsewhere: that event, at its version in the run", () => {
    // The stream's one event carries c's id; the run puts c at version 3, after b.
    const facts = { version: 1, stored: stored([events[2]!], 1) }
    assert.deepStrictEqual(conflict({ streamId, firstVersion: 2, events: events.slice(1) }, facts), {
      version: 3,
      eventId: c,
      reason: "the batch mixes new events with events stored before"
    })
  })
})
