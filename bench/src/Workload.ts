/**
 * The catalogue of benchmark workloads and stores: names, what each does, and its sizes for a full and a quick run.
 * Every store runs the same workload with the same parameters, so their numbers compare directly.
 *
 * @since 0.1.0
 */

/**
 * The stores measured: the two Chronicle stores and their baselines. For SQLite, `bare` (the store's own schema and
 * work on bare better-sqlite3) and `lean` (one lean table on bare better-sqlite3: the limit a SQLite event store can
 * approach); for memory, `naive` (the Map of arrays of the original design's proof of concept, validating nothing).
 *
 * @since 0.1.0
 * @category models
 */
export const storeNames = ["bare", "lean", "sqlite", "naive", "memory"] as const

/**
 * A store name.
 *
 * @since 0.1.0
 * @category models
 */
export type StoreName = (typeof storeNames)[number]

/**
 * The stores each Chronicle store is compared with (its ratios in the report).
 *
 * @since 0.1.0
 * @category models
 */
export const baselinesOf: Readonly<Partial<Record<StoreName, ReadonlyArray<StoreName>>>> = {
  sqlite: ["bare", "lean"],
  memory: ["naive"]
}

/**
 * The workloads, in the order they run. A new one needs its name here, its parameters below, and an implementation
 * in `ChronicleWorkloads`, `BareWorkloads` and `NaiveWorkloads` (a placeholder there when its `stores` leave the store
 * out, as the loads' do).
 *
 * @since 0.1.0
 * @category models
 */
export const workloadNames = [
  "append-single",
  "append-batch",
  "append-concurrent",
  "read-stream",
  "read-all",
  "handle",
  "handle-cold",
  "read-all-1m",
  "read-all-1m-heap64",
  "load-100k",
  "load-100k-snapshot",
  "hold-1m"
] as const

/**
 * A workload name.
 *
 * @since 0.1.0
 * @category models
 */
export type WorkloadName = (typeof workloadNames)[number]

/**
 * The parameters of one workload run. `events` is what one repetition processes (the numerator of events per second).
 *
 * - `streams`: how many streams the appends go round-robin over (for reads: over which the stored events are spread);
 * - `batch`: events per append (also the batch size used to store the data of read workloads);
 * - `background`: `read-stream` only, the events of other streams stored around the one read;
 * - `passes`: `read-stream` only, how often the stream is read per repetition (`events` = stream length × passes);
 * - `repetitions`: measured repetitions, after one warm-up.
 *
 * @since 0.1.0
 * @category models
 */
export interface Params {
  readonly events: number
  readonly streams: number
  readonly batch: number
  readonly background: number
  readonly passes: number
  readonly repetitions: number
}

/**
 * One workload: what it does, whether each repetition needs a fresh store, and its sizes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Workload {
  readonly name: WorkloadName
  readonly description: string
  /** Appends need an empty store per repetition; reads store their data once and read it repeatedly. */
  readonly fresh: boolean
  /** For SQLite-backed stores, the data is bulk-inserted by a separate setup process (so its memory is not counted). */
  readonly bulkSetup: boolean
  readonly full: Params
  readonly quick: Params
  /** The stores it runs on, when not all of them. */
  readonly stores?: ReadonlyArray<StoreName>
  /** After the last repetition, the worker measures the memory the store retains and the JSON size of its events. */
  readonly held?: boolean
  /** Extra `node` flags for its measured worker. */
  readonly nodeFlags?: ReadonlyArray<string>
}

const base = { background: 0, passes: 1 }

/**
 * Every workload.
 *
 * @since 0.1.0
 * @category constants
 */
export const workloads: Readonly<Record<WorkloadName, Workload>> = {
  "append-single": {
    name: "append-single",
    description: "100,000 appends of one event, round-robin over 1,000 streams, each with an exact expected version",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 1_000, batch: 1, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 1_000, batch: 1, repetitions: 2 }
  },
  "append-batch": {
    name: "append-batch",
    description: "1,000 appends of 100 events, round-robin over 100 streams, each with an exact expected version",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 100, batch: 100, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 100, batch: 100, repetitions: 2 }
  },
  "append-concurrent": {
    name: "append-concurrent",
    description: "100 fibers, each appending single events to its own stream with exact expected versions",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 100, batch: 1, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 100, batch: 1, repetitions: 2 }
  },
  "read-stream": {
    name: "read-stream",
    description: "read a 10,000-event stream stored among 100,000 other events, decode it and fold it into a balance",
    fresh: false,
    bulkSetup: false,
    full: { events: 100_000, streams: 1_000, batch: 100, background: 100_000, passes: 10, repetitions: 5 },
    quick: { events: 10_000, streams: 100, batch: 100, background: 10_000, passes: 5, repetitions: 2 }
  },
  "read-all": {
    name: "read-all",
    description: "read all 100,000 events in global order from position 0, decoded",
    fresh: false,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 1_000, batch: 100, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 100, batch: 100, repetitions: 2 }
  },
  // Chronicle's handler keeps the states of the streams it handled (its state cache), so `handle` runs warm: a command
  // reads only what its stream gained since. The baselines have no cache: each command loads its whole stream.
  handle: {
    name: "handle",
    description: "CommandHandler round trips (load, decide, append): 10,000 deposits over 100 open bank accounts",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 10_000, streams: 100, batch: 1, repetitions: 3 },
    quick: { ...base, events: 1_000, streams: 100, batch: 1, repetitions: 2 }
  },
  // Each command loads its whole stream (50 events on average), so a repetition is slow: 3 keep the run short.
  "handle-cold": {
    name: "handle-cold",
    description: "handle without the state cache: every command loads its whole stream (the cold path)",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 10_000, streams: 100, batch: 1, repetitions: 3 },
    quick: { ...base, events: 1_000, streams: 100, batch: 1, repetitions: 2 },
    stores: ["sqlite", "memory"]
  },
  "read-all-1m": {
    name: "read-all-1m",
    description: "read all 1,000,000 events in global order, decoded, in bounded memory (peak RSS is the point)",
    fresh: false,
    bulkSetup: true,
    full: { ...base, events: 1_000_000, streams: 10_000, batch: 100, repetitions: 3 },
    quick: { ...base, events: 100_000, streams: 1_000, batch: 100, repetitions: 1 },
    stores: ["bare", "lean", "sqlite", "memory"]
  },
  // Loads of one long account (its length is `background`): here the rate is loads per second, not events.
  "load-100k": {
    name: "load-100k",
    description: "CommandHandler.load of a 100,050-event account by full replay: LOADS per second",
    fresh: false,
    bulkSetup: false,
    full: { events: 10, streams: 1, batch: 1_000, background: 100_000, passes: 1, repetitions: 3 },
    quick: { events: 5, streams: 1, batch: 1_000, background: 10_000, passes: 1, repetitions: 1 },
    stores: ["sqlite", "memory"]
  },
  "load-100k-snapshot": {
    name: "load-100k-snapshot",
    description: "the same account loaded from its latest snapshot (every 100 events) plus 50 events: LOADS per second",
    fresh: false,
    bulkSetup: false,
    full: { events: 2_000, streams: 1, batch: 1_000, background: 100_000, passes: 1, repetitions: 3 },
    quick: { events: 200, streams: 1, batch: 1_000, background: 10_000, passes: 1, repetitions: 1 },
    stores: ["sqlite", "memory"]
  },
  // What a store holding its events in process memory costs per event: the worker reports the memory retained after
  // the appends (and the peak), beside the size of the same events as JSON.
  "hold-1m": {
    name: "hold-1m",
    description: "append 1,000,000 events (batches of 100 over 10,000 streams) and hold them: memory per event",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 1_000_000, streams: 10_000, batch: 100, repetitions: 1 },
    quick: { ...base, events: 100_000, streams: 1_000, batch: 100, repetitions: 1 },
    stores: ["naive", "memory"],
    held: true
  },
  // V8 lets garbage pile up while memory is plentiful, so the uncapped peak says more about V8 than about the read.
  // Capping the heap (old space 64 MB, semi-spaces 4 MB) shows the working set: a read that held its events would run
  // out of memory here.
  "read-all-1m-heap64": {
    name: "read-all-1m-heap64",
    description:
      "read-all-1m with V8's heap capped (--max-old-space-size=64 --max-semi-space-size=4): the bounded working set",
    fresh: false,
    bulkSetup: true,
    full: { ...base, events: 1_000_000, streams: 10_000, batch: 100, repetitions: 3 },
    quick: { ...base, events: 100_000, streams: 1_000, batch: 100, repetitions: 1 },
    stores: ["bare", "lean", "sqlite"],
    nodeFlags: ["--max-old-space-size=64", "--max-semi-space-size=4"]
  }
}

/**
 * The parameters of the warm-up that precedes the measured repetitions: the quick size for workloads on a fresh
 * store; for reads, one pass over at most 100,000 events of the data already stored.
 *
 * @since 0.1.0
 * @category constructors
 */
export const warmUp = (workload: Workload, params: Params): Params =>
  workload.fresh
    ? workload.quick
    : { ...params, events: Math.min(params.events, 100_000) / params.passes, passes: 1, repetitions: 1 }

/**
 * The length of the stream `read-stream` reads.
 *
 * @since 0.1.0
 * @category constructors
 */
export const streamLength = (params: Params): number => params.events / params.passes
