/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`, or `pnpm bench --profile`): the functions with the most self time
 * and the most total (inclusive) time, with their share of the samples.
 *
 * `node dist/src/profile.js results/profiles/sqlite-read-all.cpuprofile [--top 25] [--filter text] [--lines script]`
 * (`--lines InMemoryEventStore` adds the samples per line of that script's generated JavaScript).
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { parseArgs } from "node:util"

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
  readonly children?: ReadonlyArray<number>
}

interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "25" }, filter: { type: "string" }, lines: { type: "string" } }
})

const shorten = (url: string) => {
  const modules = url.lastIndexOf("node_modules/")
  if (modules >= 0) return url.slice(modules + "node_modules/".length).replace(/^\.pnpm\/[^/]+\/node_modules\//, "")
  const packages = url.indexOf("/packages/")
  if (packages >= 0) return url.slice(packages + 1)
  return url.startsWith("file://") ? path.basename(url) : url
}

const keyOf = (frame: CallFrame) =>
  `${frame.functionName || "(anonymous)"} ${shorten(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ""}`

interface LineTicks {
  readonly positionTicks?: ReadonlyArray<{ readonly line: number; readonly ticks: number }>
}

/** Samples per source line (of the generated JavaScript) in the scripts whose URL contains `script`. */
const showLines = (profile: Profile, script: string) => {
  const ticks = new Map<string, number>()
  let all = 0
  for (const node of profile.nodes) {
    if (!node.callFrame.url.includes(script)) continue
    for (const { line, ticks: n } of (node as ProfileNode & LineTicks).positionTicks ?? []) {
      const key = `${shorten(node.callFrame.url)}:${line}`
      ticks.set(key, (ticks.get(key) ?? 0) + n)
      all += n
    }
  }
  console.log(`\nSelf samples by line in ${script} (${all} samples)`)
  for (const [key, n] of [...ticks.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${((n / all) * 100).toFixed(1).padStart(5)}%  ${String(n).padStart(6)}  ${key}`)
  }
}

const summarize = (file: string) => {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  let all = 0
  profile.samples.forEach((id, i) => {
    // The first delta runs from the profiler's start to the first sample: time spent starting the profiler.
    const micros = i === 0 ? 0 : (profile.timeDeltas[i] ?? 0)
    all += micros
    const leaf = byId.get(id)!
    const leafKey = keyOf(leaf.callFrame)
    self.set(leafKey, (self.get(leafKey) ?? 0) + micros)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = keyOf(byId.get(at)!.callFrame)
      if (seen.has(key)) continue
      seen.add(key)
      total.set(key, (total.get(key) ?? 0) + micros)
    }
  })
  const top = Number(values.top)
  const show = (title: string, table: Map<string, number>) => {
    console.log(`\n${title} (of ${(all / 1000).toFixed(0)} ms sampled)`)
    const rows = [...table.entries()]
      .filter(([key]) => values.filter === undefined || key.includes(values.filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
    for (const [key, micros] of rows) {
      console.log(
        `${((micros / all) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`
      )
    }
  }
  console.log(`# ${file}`)
  show("Self time", self)
  show("Total time", total)
  if (values.lines !== undefined) showLines(profile, values.lines)
}

for (const file of positionals) summarize(file)
