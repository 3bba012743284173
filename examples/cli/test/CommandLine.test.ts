import { CommandLine } from "@chronicle/example-cli"
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"

const spec = CommandLine.make({
  name: "demo",
  usage: "demo [--fresh] [--db PATH]",
  summary: "Shows how things work.",
  flags: {
    db: CommandLine.text("PATH", "the database file"),
    fresh: CommandLine.toggle("start over"),
    memory: CommandLine.toggle("keep nothing"),
    count: CommandLine.integer("N", "how many", 1),
    store: CommandLine.list("a,b", ["bare", "sqlite", "memory"], "the stores")
  },
  exclusive: [["memory", "fresh", "nothing is kept anyway"]],
  notes: ["A note at the end."]
})

const values = (args: ReadonlyArray<string>) => {
  const parsed = Either.getOrThrow(CommandLine.parse(spec, args))
  assert.strictEqual(parsed._tag, "Run")
  return parsed._tag === "Run" ? parsed.values : assert.fail("not a run")
}

const problem = (args: ReadonlyArray<string>) => {
  const parsed = CommandLine.parse(spec, args)
  return Either.isLeft(parsed) ? parsed.left.problem : assert.fail(`parsed ${JSON.stringify(args)}`)
}

describe("CommandLine.parse", () => {
  it("gives every flag its value, and defaults when a flag is not given", () => {
    assert.deepStrictEqual(values([]), {
      db: undefined,
      fresh: false,
      memory: false,
      count: undefined,
      store: undefined
    })
    assert.deepStrictEqual(
      values(["--db", "x.db", "--fresh", "--count=3", "--store", "bare,memory", "--store=sqlite"]),
      {
        db: "x.db",
        fresh: true,
        memory: false,
        count: 3,
        store: ["bare", "memory", "sqlite"]
      }
    )
  })

  it("passes over a lone --, as pnpm hands it on", () => {
    assert.strictEqual(values(["--", "--fresh"]).fresh, true)
  })

  it("asks for the help on -h or --help, wherever it is and whatever else is there", () => {
    for (const args of [["--help"], ["-h"], ["--bogus", "--help"], ["--db", "--help"]]) {
      const parsed = CommandLine.parse(spec, args)
      assert.isTrue(Either.isRight(parsed) && parsed.right._tag === "Help", args.join(" "))
    }
  })

  it("names an unknown option, long or short", () => {
    assert.strictEqual(problem(["--bogus"]), 'unknown option "--bogus"')
    assert.strictEqual(problem(["--bogus=1"]), 'unknown option "--bogus"')
    assert.strictEqual(problem(["-x"]), 'unknown option "-x"')
  })

  it("says a flag needs a value when it has none, is followed by another flag, or is empty", () => {
    assert.strictEqual(problem(["--db"]), "--db needs a value: --db PATH")
    assert.strictEqual(problem(["--db", "--fresh"]), "--db needs a value: --db PATH")
    assert.strictEqual(problem(["--db="]), "--db needs a value: --db PATH")
    assert.strictEqual(problem(["--count"]), "--count needs a value: --count N")
  })

  it("refuses bad values: a switch with one, a non-number, a number below the minimum, an unknown choice", () => {
    assert.strictEqual(problem(["--fresh=yes"]), "--fresh takes no value")
    assert.strictEqual(problem(["--count", "many"]), '--count needs a whole number of at least 1, not "many"')
    assert.strictEqual(problem(["--count", "0"]), '--count needs a whole number of at least 1, not "0"')
    assert.strictEqual(problem(["--count", "1.5"]), '--count needs a whole number of at least 1, not "1.5"')
    assert.strictEqual(
      problem(["--store", "bare,postgres"]),
      'unknown --store "postgres": choose from bare, sqlite, memory'
    )
  })

  it("refuses a value given twice, a positional argument, and flags that exclude each other", () => {
    assert.strictEqual(problem(["--db", "a", "--db", "b"]), "--db is given twice")
    assert.strictEqual(problem(["extra"]), 'unexpected argument "extra": this program takes only flags')
    assert.strictEqual(
      problem(["--memory", "--fresh"]),
      "--memory and --fresh cannot be combined: nothing is kept anyway"
    )
  })

  it("ends every usage error's message with what to do", () => {
    const parsed = CommandLine.parse(spec, ["--bogus"])
    assert.isTrue(Either.isLeft(parsed) && parsed.left.message === 'unknown option "--bogus"; see --help')
  })
})

describe("CommandLine.help", () => {
  const text = CommandLine.help(spec)

  it("describes the program, its usage, every flag and the notes", () => {
    const lines = text.split("\n")
    assert.strictEqual(lines[0], "Shows how things work.")
    assert.include(text, "Usage: demo [--fresh] [--db PATH]")
    assert.match(text, /\n {2}--db PATH +the database file\n/)
    assert.match(text, /\n {2}--fresh +start over\n/)
    assert.match(text, /\n {2}--count N +how many\n/)
    assert.match(text, /\n {2}--store a,b +the stores; one or more of:\n +bare, sqlite, memory\n/)
    assert.match(text, /\n {2}-h, --help +show this help\n/)
    assert.isTrue(text.endsWith("\n\nA note at the end."))
  })

  it("is plain text, without a colour code", () => {
    assert.notInclude(text, "\u001b")
  })

  it("wraps long lists of choices within 100 columns", () => {
    const many = CommandLine.help(
      CommandLine.make({
        name: "x",
        usage: "x",
        summary: "x",
        flags: {
          pick: CommandLine.list(
            "a,b",
            Array.from({ length: 40 }, (_, i) => `choice-${i}`),
            "pick"
          )
        }
      })
    )
    for (const line of many.split("\n")) assert.isAtMost(line.length, 100)
    assert.include(many, "choice-39")
  })
})
