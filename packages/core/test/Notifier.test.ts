import { Notifier } from "@chronicle/core/engine"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"

describe("Notifier", () => {
  it.effect("wait completes at once when ready, else at the next notify; interrupted waiters are removed", () =>
    Effect.gen(function* () {
      const notifier = Notifier.make()
      yield* notifier.wait(() => true)
      let ready = false
      const waiting = yield* Effect.fork(notifier.wait(() => ready))
      const interrupted = yield* Effect.fork(notifier.wait())
      yield* Effect.yieldNow()
      assert.isUndefined(yield* Fiber.poll(waiting).pipe(Effect.map((o) => (o._tag === "Some" ? o : undefined))))
      yield* Fiber.interrupt(interrupted)
      ready = true
      notifier.notify()
      yield* Fiber.join(waiting)
      notifier.notify()
    })
  )
})
