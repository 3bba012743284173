/**
 * Wake-ups for live readers: an engine calls `notify` after each commit, and a subscription waiting for the next
 * append waits on it. Shared by every engine, so none writes its own waiter list.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"

/**
 * A notifier: `notify` wakes every waiter; `wait(ready)` completes at once when `ready()` holds as it starts (checked
 * and registered in one synchronous step, so no notification between the two is lost), otherwise at the next
 * `notify`. An interrupted waiter is removed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Notifier {
  readonly notify: () => void
  readonly wait: (ready?: () => boolean) => Effect.Effect<void>
}

/**
 * Makes a notifier with no waiters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Notifier => {
  const waiters = new Set<() => void>()
  const notify = () => {
    if (waiters.size === 0) return
    const woken = [...waiters]
    waiters.clear()
    for (const resume of woken) resume()
  }
  const wait = (ready?: () => boolean) =>
    Effect.async<void>((resume) => {
      if (ready?.() === true) return resume(Effect.void)
      const waiter = () => resume(Effect.void)
      waiters.add(waiter)
      return Effect.sync(() => {
        waiters.delete(waiter)
      })
    })
  return { notify, wait }
}
