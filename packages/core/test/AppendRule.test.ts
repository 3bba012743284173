import { ExpectedVersion } from "@chronicle/core"
import { AppendRule, PositionEncoding } from "@chronicle/core/engine"
import { assert, describe, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { type Prepared, prepared, request, stored, streamId } from "./fixtures/appendRule.js"

/** A stream as the rule sees it: what an engine would have stored, written only when the rule said `Write`. */
interface Model {
  readonly events: ReadonlyArray<AppendRule.StoredEvent>
}

const facts = (model: Model, batch: ReadonlyArray<Prepared>): AppendRule.Facts => {
  const ids = new Set(batch.filter((e) => e.idProvided).map((e) => e.id))
  return { version: model.events.length, stored: model.events.filter((e) => ids.has(e.id)) }
}

let nextPosition = 1
const write = (model: Model, batch: ReadonlyArray<Prepared>): Model => ({
  events: [
    ...model.events,
    ...batch.map((e, i) => ({
      id: e.id,
      version: model.events.length + i + 1,
      position: PositionEncoding.fromCounter(nextPosition++),
      type: e.type,
      data: JSON.parse(e.dataJson)
    }))
  ]
})

const expectation: FastCheck.Arbitrary<ExpectedVersion.ExpectedVersion> = FastCheck.oneof(
  FastCheck.constant(ExpectedVersion.any),
  FastCheck.constant(ExpectedVersion.noStream),
  FastCheck.constant(ExpectedVersion.streamExists),
  FastCheck.nat({ max: 8 }).map(ExpectedVersion.exact)
)

const idPool = Array.from({ length: 6 }, () => crypto.randomUUID())
/** A batch: id-less, or with ids drawn from a small pool (so they collide with stored ones), distinct in the batch. */
const batch: FastCheck.Arbitrary<ReadonlyArray<Prepared>> = FastCheck.oneof(
  FastCheck.array(FastCheck.integer({ min: 1, max: 3 }), { maxLength: 3 }).map((bys) => bys.map((by) => prepared(by))),
  FastCheck.uniqueArray(FastCheck.constantFrom(...idPool), { minLength: 1, maxLength: 3 }).chain((ids) =>
    FastCheck.array(FastCheck.integer({ min: 1, max: 2 }), { minLength: ids.length, maxLength: ids.length }).map(
      (bys) => ids.map((id, i) => prepared(bys[i]!, id))
    )
  )
)

describe("AppendRule.decide", () => {
  it.prop(
    "a batch no stored id overlaps is written exactly when its expectation holds, else conflicts with the real version",
    [FastCheck.nat({ max: 6 }), batch, expectation],
    ([length, events, expected]) => {
      const model = write(
        { events: [] },
        Array.from({ length }, (_, i) => prepared(i))
      )
      const decision = AppendRule.decide(request(events, expected), facts(model, events))
      const overlaps = facts(model, events).stored.length > 0
      if (overlaps) return
      const holds = ExpectedVersion.matches(expected, length)
      if (!holds) {
        assert.strictEqual(decision._tag, "Conflict")
        if (decision._tag === "Conflict") {
          assert.strictEqual(decision.error.actual, length)
          assert.strictEqual(decision.error.expected, ExpectedVersion.format(expected))
        }
      } else if (events.length === 0) {
        assert.deepStrictEqual(decision, { _tag: "Done", result: { version: length, positions: [] }, repeat: false })
      } else {
        assert.deepStrictEqual(decision, { _tag: "Write", version: length })
      }
    }
  )

  it.prop(
    "appending a written batch again, with any expectation, repeats the first result and writes nothing",
    [FastCheck.nat({ max: 4 }), batch, expectation, expectation],
    ([length, events, first, again]) => {
      const ided = events.filter((e) => e.idProvided)
      if (ided.length === 0) return
      let model = write(
        { events: [] },
        Array.from({ length }, (_, i) => prepared(i))
      )
      const decision = AppendRule.decide(request(ided, first), facts(model, ided))
      if (decision._tag !== "Write") return
      model = write(model, ided)
      const written = model.events.slice(-ided.length)
      const repeat = AppendRule.decide(request(ided, again), facts(model, ided))
      assert.deepStrictEqual(repeat, {
        _tag: "Done",
        result: { version: model.events.length, positions: written.map((e) => e.position) },
        repeat: true
      })
    }
  )

  it.prop(
    "any other overlap with stored ids — another payload, a partial overlap, another order — is DuplicateEventId",
    [FastCheck.integer({ min: 2, max: 4 }), FastCheck.constantFrom("payload", "partial", "order")],
    ([size, change]) => {
      const ids = idPool.slice(0, size)
      const original = ids.map((id, i) => prepared(i + 1, id))
      const model = write({ events: [] }, original)
      const changed =
        change === "payload"
          ? original.map((e, i) => (i === size - 1 ? prepared(99, e.id) : e))
          : change === "partial"
            ? [...original.slice(1), prepared(7, crypto.randomUUID())]
            : [...original].reverse()
      const decision = AppendRule.decide(request(changed, ExpectedVersion.any), facts(model, changed))
      assert.strictEqual(decision._tag, "Duplicate")
      if (decision._tag === "Duplicate") assert.strictEqual(decision.error.streamId, streamId)
    }
  )

  it("compares stored data as JSON: key order does not matter, metadata is not compared", () => {
    const id = crypto.randomUUID()
    const stored: AppendRule.StoredEvent = {
      id,
      version: 1,
      position: PositionEncoding.fromCounter(5),
      type: "Noted",
      data: { b: [1, { c: null }], a: "x" }
    }
    const again: Prepared = {
      id,
      idProvided: true,
      type: "Noted",
      data: {},
      metadata: { other: true },
      dataJson: JSON.stringify({ a: "x", b: [1, { c: null }] }),
      metadataJson: '{"other":true}',
      tags: [],
      recordedAt: 0
    }
    const decision = AppendRule.decide(request([again], ExpectedVersion.exact(0)), { version: 1, stored: [stored] })
    assert.deepStrictEqual(decision, {
      _tag: "Done",
      result: { version: 1, positions: [stored.position] },
      repeat: true
    })
    assert.isTrue(AppendRule.needsStoredIds(request([again], ExpectedVersion.any)))
    assert.isFalse(AppendRule.needsStoredIds(request([prepared(1)], ExpectedVersion.any)))
    assert.isFalse(AppendRule.needsStoredIds(request([], ExpectedVersion.any)))
  })

  it.prop(
    "acceptedVersions is the range of versions the expectation matches",
    [expectation, FastCheck.nat({ max: 12 })],
    ([expected, version]) => {
      const [min, max] = AppendRule.acceptedVersions(expected)
      assert.strictEqual(min <= version && version <= max, ExpectedVersion.matches(expected, version))
      assert.isTrue(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max)
    }
  )
})

describe("AppendRule.decideImport", () => {
  const run = (events: ReadonlyArray<Prepared>, firstVersion = 1): AppendRule.ImportRun => ({
    streamId,
    firstVersion,
    events
  })
  const batch = [1, 2, 3, 4].map((by) => prepared(by, crypto.randomUUID()))

  it("writes a run the stream has not reached, at its versions", () => {
    assert.deepStrictEqual(AppendRule.decideImport(run(batch), { version: 0, stored: [] }), {
      _tag: "Write",
      version: 0,
      events: batch,
      skipped: 0
    })
  })

  it("skips the events stored already at the same versions and writes the rest", () => {
    const decision = AppendRule.decideImport(run(batch), { version: 2, stored: stored(batch.slice(0, 2)) })
    assert.deepStrictEqual(decision, { _tag: "Write", version: 2, events: batch.slice(2), skipped: 2 })
    assert.deepStrictEqual(AppendRule.decideImport(run(batch), { version: 4, stored: stored(batch) }), {
      _tag: "Skip",
      skipped: 4
    })
  })

  it("refuses another history, another payload, an id at another version and a gap", () => {
    const conflict = (facts: AppendRule.Facts, events = batch, first = 1) => {
      const decision = AppendRule.decideImport(run(events, first), facts)
      assert.strictEqual(decision._tag, "Conflict")
      return decision._tag === "Conflict" ? decision.error : undefined
    }
    const other = [prepared(9, crypto.randomUUID())]
    assert.strictEqual(conflict({ version: 1, stored: [] })?.reason, "the stream holds another event at version 1")
    assert.strictEqual(conflict({ version: 2, stored: stored(other) })?.version, 1)
    const changed = { ...batch[0]!, dataJson: JSON.stringify({ by: 99 }) }
    assert.include(conflict({ version: 1, stored: stored([changed]) })?.reason, "different payload")
    assert.strictEqual(
      conflict({ version: 2, stored: stored(batch.slice(0, 1), 2) }, batch.slice(0, 1), 3)?.reason,
      "the event id is stored in the stream at another version"
    )
    assert.include(conflict({ version: 0, stored: [] }, batch, 3)?.reason, "would leave a gap")
  })
})
