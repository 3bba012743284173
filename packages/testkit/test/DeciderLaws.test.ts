import { AssertionError } from "node:assert"
import { Decider, EventCodec } from "@chronicle/core"
import { DeciderLaws, DeciderSpec } from "@chronicle/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck, Schema } from "effect"

const Added = Schema.TaggedStruct("Added", { n: Schema.Int })
const Reset = Schema.TaggedStruct("Reset", {})
const Event = Schema.Union(Added, Reset)
type Event = typeof Event.Type
type Command = { readonly _tag: "Add"; readonly n: number } | { readonly _tag: "Reset" }
type State = { readonly total: number; readonly log: ReadonlyArray<number> }

class Negative extends Schema.TaggedError<Negative>()("Negative", { n: Schema.Number }) {}

const good = Decider.make<Command, Event, State, Negative>({
  initialState: { total: 0, log: [] },
  decide: (command, state) => {
    switch (command._tag) {
      case "Add":
        return command.n < 0
          ? Either.left(new Negative({ n: command.n }))
          : Either.right([Added.make({ n: command.n })])
      case "Reset":
        return state.total === 0 ? Either.right([]) : Either.right([Reset.make({})])
    }
  },
  evolve: (state, event) =>
    event._tag === "Added" ? { total: state.total + event.n, log: [...state.log, event.n] } : { total: 0, log: [] }
})

const command: FastCheck.Arbitrary<Command> = FastCheck.oneof(
  FastCheck.integer({ min: -5, max: 50 }).map((n) => ({ _tag: "Add" as const, n })),
  FastCheck.constant({ _tag: "Reset" as const })
)
const codec = EventCodec.make(Event)

describe("DeciderLaws", () => {
  it("hold for a lawful decider", () => {
    DeciderLaws.check({ decider: good, command, codec, numRuns: 100 })
  })

  it("hold for a decider whose state is a class instance", () => {
    class Total extends Schema.Class<Total>("Total")({ total: Schema.Number }) {}
    const classy = Decider.make<Command, Event, Total, Negative>({
      initialState: new Total({ total: 0 }),
      decide: (c, s) => good.decide(c, { total: s.total, log: [] }),
      evolve: (s, e) => new Total({ total: e._tag === "Added" ? s.total + e.n : 0 })
    })
    DeciderLaws.check({ decider: classy, command, numRuns: 50 })
  })

  it("catch a decide that mutates the state it is given", () => {
    const mutating = Decider.make<Command, Event, State, Negative>({
      ...good,
      initialState: { total: 0, log: [] },
      decide: (c, s) => {
        ;(s.log as Array<number>).push(-1)
        return good.decide(c, s)
      }
    })
    assert.throws(() => DeciderLaws.check({ decider: mutating, command, numRuns: 50 }), /purity/)
  })

  it("catch an evolve whose replay differs from the live state", () => {
    let calls = 0
    const impure = Decider.make<Command, Event, State, Negative>({
      ...good,
      evolve: (s, e) => (++calls % 7 === 0 ? { ...good.evolve(s, e), total: -1 } : good.evolve(s, e))
    })
    assert.throws(() => DeciderLaws.check({ decider: impure, command, numRuns: 50 }), /replay|split/)
  })

  it("catch a codec that loses information", () => {
    const Lossy = Schema.Union(Schema.TaggedStruct("Added", { n: Schema.Int.pipe(Schema.clamp(0, 10)) }), Reset)
    const lossy = EventCodec.make(Lossy as unknown as Schema.Schema<Event, { readonly _tag: string }>)
    assert.throws(() => DeciderLaws.check({ decider: good, command, codec: lossy, numRuns: 100 }), /codec/)
  })
})

describe("DeciderSpec", () => {
  const spec = DeciderSpec.make(good)

  it("passes matching expectations", () => {
    const state = spec
      .given([Added.make({ n: 2 })])
      .when({ _tag: "Add", n: 3 })
      .then([Added.make({ n: 3 })])
    assert.deepStrictEqual(state, { total: 5, log: [2, 3] })
    spec
      .given([])
      .when({ _tag: "Add", n: -1 })
      .thenFails(new Negative({ n: -1 }))
    spec.given([]).when({ _tag: "Reset" }).thenNothingHappened()
  })

  it("fails on mismatches with node's AssertionError", () => {
    assert.throws(
      () =>
        spec
          .given([])
          .when({ _tag: "Add", n: 3 })
          .then([Added.make({ n: 4 })]),
      AssertionError
    )
    assert.throws(
      () =>
        spec
          .given([])
          .when({ _tag: "Add", n: 3 })
          .thenFails(new Negative({ n: 3 })),
      AssertionError
    )
    assert.throws(
      () =>
        spec
          .given([])
          .when({ _tag: "Add", n: -2 })
          .thenFails(new Negative({ n: -1 })),
      AssertionError
    )
    // The same fields on a plain object are not the error: prototypes are compared too.
    const lookalike = { _tag: "Negative", n: -2 } as unknown as Negative
    assert.throws(() => spec.given([]).when({ _tag: "Add", n: -2 }).thenFails(lookalike), AssertionError)
    assert.throws(() => spec.given([]).when({ _tag: "Add", n: -2 }).then([]), AssertionError)
    assert.throws(
      () =>
        spec
          .given([Added.make({ n: 1 })])
          .when({ _tag: "Reset" })
          .thenNothingHappened(),
      AssertionError
    )
  })
})
