import { ExpectedVersion } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"

describe("ExpectedVersion", () => {
  it("matches each mode against stream versions", () => {
    const table: ReadonlyArray<[ExpectedVersion.ExpectedVersion, number, boolean]> = [
      [ExpectedVersion.any, 0, true],
      [ExpectedVersion.any, 7, true],
      [ExpectedVersion.noStream, 0, true],
      [ExpectedVersion.noStream, 1, false],
      [ExpectedVersion.streamExists, 0, false],
      [ExpectedVersion.streamExists, 3, true],
      [ExpectedVersion.exact(0), 0, true],
      [ExpectedVersion.exact(3), 3, true],
      [ExpectedVersion.exact(3), 4, false],
      [ExpectedVersion.exact(-1), 0, false]
    ]
    for (const [expected, actual, result] of table) {
      assert.strictEqual(
        ExpectedVersion.matches(expected, actual),
        result,
        `${ExpectedVersion.format(expected)} @ ${actual}`
      )
    }
  })

  it("formats for error messages", () => {
    assert.strictEqual(ExpectedVersion.format(ExpectedVersion.exact(4)), "exact(4)")
    assert.strictEqual(ExpectedVersion.format(ExpectedVersion.noStream), "no-stream")
    assert.strictEqual(ExpectedVersion.format(ExpectedVersion.streamExists), "stream-exists")
    assert.strictEqual(ExpectedVersion.format(ExpectedVersion.any), "any")
  })
})
