/**
 * The catalogue of benchmark workloads and stores: names, what each does, and its sizes for a full and a quick run.
 * Every store runs the same workload with the same parameters, so their numbers compare directly.
 *
 * @since 0.1.0
 */

/**
 * The stores measured: the Chronicle stores and their baselines. For SQLite, `bare` (the store's own schema and work
 * on bare better-sqlite3) and `lean` (one lean table on bare better-sqlite3: the limit a SQLite event store can
 * approach); for memory, `naive` (the Map of arrays of the original design's proof of concept, validating nothing);
 * for PostgreSQL, `bare-pg` (the same schema and work on bare node-postgres).
 *
 * @since 0.1.0
 * @category models
 */
export const storeNames = ["bare", "lean", "sqlite", "naive", "memory", "bare-pg", "postgres"] as const

/**
 * A store name.
 *
 * @since 0.1.0
 * @category models
 */
export type StoreName = (typeof storeNames)[number]

/**
 * The stores on one machine's SQLite file or memory, and the stores on a PostgreSQL server.
 *
 * @since 0.1.0
 * @category constants
 */
export const embeddedStores: ReadonlyArray<StoreName> = ["bare", "lean", "sqlite", "naive", "memory"]

/**
 * The stores on a PostgreSQL server (the run starts one unless `CHRONICLE_PG_URL` names one).
 *
 * @since 0.1.0
 * @category constants
 */
export const postgresStores: ReadonlyArray<StoreName> = ["bare-pg", "postgres"]

/**
 * Whether a store runs on PostgreSQL.
 *
 * @since 0.1.0
 * @category predicates
 */
export const onPostgres = (store: StoreName): boolean => postgresStores.includes(store)

/**
 * The stores each Chronicle store is compared with (its ratios in the report).
 *
 * @since 0.1.0
 * @category models
 */
export const baselinesOf: Readonly<Partial<Record<StoreName, ReadonlyArray<StoreName>>>> = {
  sqlite: ["bare", "lean"],
  memory: ["naive"],
  postgres: ["bare-pg"]
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
  "export",
  "import",
  "handle",
  "handle-cold",
  "read-all-1m",
  "read-all-1m-heap64",
  "load-100k",
  "load-100k-snapshot",
  "append-processes",
  "hold-1m",
  "append-conditional",
  "append-conditional-hot",
  "read-tag",
  "http-append-1",
  "http-append-50",
  "http-read-1",
  "http-read-50",
  "http-sse-100"
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
  /**
   * The sizes on PostgreSQL, when they differ: a commit there waits for the WAL's flush to disk (a few milliseconds),
   * so the SQLite sizes would take many minutes.
   */
  readonly postgres?: { readonly full: Params; readonly quick: Params }
  /**
   * The sizes on the baselines that have no state cache (`bare`, `lean`, `naive`), when they differ: each of their
   * commands reads its whole stream.
   */
  readonly uncached?: { readonly full: Params; readonly quick: Params }
  /** The stores it runs on. */
  readonly stores: ReadonlyArray<StoreName>
  /** After the last repetition, the worker measures the memory the store retains and the JSON size of its events. */
  readonly held?: boolean
  /** Extra `node` flags for its measured worker. */
  readonly nodeFlags?: ReadonlyArray<string>
  /** For the HTTP workloads: the connections the load generator keeps open (for `http-sse-100`, the live clients). */
  readonly connections?: number
  /** For the HTTP workloads: the in-process workload of the same store their rate is compared with. */
  readonly direct?: WorkloadName
}

const base = { background: 0, passes: 1 }

/** Sizes without the repetitions: the HTTP workloads all run 3 (2 when quick). */
type Sizes = Omit<Params, "repetitions">

/** An HTTP workload (`HttpWorkloads`): on SQLite and in memory, 3 measured repetitions (2 when quick). */
const http = (
  name: WorkloadName,
  description: string,
  options: {
    readonly fresh: boolean
    readonly connections: number
    readonly full: Sizes
    readonly quick: Sizes
    readonly direct?: WorkloadName
  }
): Workload => ({
  name,
  description,
  fresh: options.fresh,
  bulkSetup: false,
  full: { ...options.full, repetitions: 3 },
  quick: { ...options.quick, repetitions: 2 },
  stores: ["sqlite", "memory"],
  connections: options.connections,
  ...(options.direct === undefined ? {} : { direct: options.direct })
})

/** `events` HTTP appends of one event, round-robin over 100 streams. */
const httpAppends = (events: number): Sizes => ({ ...base, events, streams: 100, batch: 1 })

/** HTTP reads returning `events` events in all, of `streams` streams of 100 events each. */
const httpReads = (events: number, streams: number): Sizes => ({
  events,
  streams,
  batch: 100,
  background: streams * 100,
  passes: 1
})

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
    quick: { ...base, events: 10_000, streams: 1_000, batch: 1, repetitions: 2 },
    postgres: {
      full: { ...base, events: 2_000, streams: 1_000, batch: 1, repetitions: 5 },
      quick: { ...base, events: 300, streams: 1_000, batch: 1, repetitions: 2 }
    },
    stores: storeNames
  },
  "append-batch": {
    name: "append-batch",
    description: "1,000 appends of 100 events, round-robin over 100 streams, each with an exact expected version",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 100, batch: 100, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 100, batch: 100, repetitions: 2 },
    postgres: {
      full: { ...base, events: 30_000, streams: 100, batch: 100, repetitions: 5 },
      quick: { ...base, events: 3_000, streams: 100, batch: 100, repetitions: 2 }
    },
    stores: storeNames
  },
  "append-concurrent": {
    name: "append-concurrent",
    description: "100 fibers, each appending single events to its own stream with exact expected versions",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 100, batch: 1, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 100, batch: 1, repetitions: 2 },
    postgres: {
      full: { ...base, events: 10_000, streams: 100, batch: 1, repetitions: 5 },
      quick: { ...base, events: 1_000, streams: 100, batch: 1, repetitions: 2 }
    },
    stores: storeNames
  },
  "read-stream": {
    name: "read-stream",
    description: "read a 10,000-event stream stored among 100,000 other events, decode it and fold it into a balance",
    fresh: false,
    bulkSetup: false,
    full: { events: 100_000, streams: 1_000, batch: 100, background: 100_000, passes: 10, repetitions: 5 },
    quick: { events: 10_000, streams: 100, batch: 100, background: 10_000, passes: 5, repetitions: 2 },
    stores: storeNames
  },
  "read-all": {
    name: "read-all",
    description: "read all 100,000 events in global order from position 0, decoded",
    fresh: false,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 1_000, batch: 100, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 100, batch: 100, repetitions: 2 },
    stores: storeNames
  },
  export: {
    name: "export",
    description:
      "chronicle export of read-all's 100,000 events: the global order as NDJSON lines into a file (ExportFormat.exportEvents)",
    fresh: false,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 1_000, batch: 100, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 100, batch: 100, repetitions: 2 },
    stores: ["sqlite", "memory"]
  },
  import: {
    name: "import",
    description:
      "chronicle import of append-batch's 100,000 events (100 streams, runs of 100) from an NDJSON file into an empty store (ExportFormat.importLines)",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 100, batch: 100, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 100, batch: 100, repetitions: 2 },
    stores: ["sqlite", "memory"]
  },
  // Chronicle's handler keeps the states of the streams it handled (its state cache), so `handle` runs warm: a command
  // reads only what its stream gained since; a repetition is as long as append-single's, so that it measures the
  // handler warmed up rather than the young generation regrowing after the collection before it, and there are as many
  // (5) as append-single's, whose median it is compared with. The baselines have no cache: each command loads its whole
  // stream (streams reach 100 events either way), so they take a tenth.
  handle: {
    name: "handle",
    description: "CommandHandler round trips (load, decide, append): 100,000 deposits over 1,000 open bank accounts",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 100_000, streams: 1_000, batch: 1, repetitions: 5 },
    quick: { ...base, events: 10_000, streams: 1_000, batch: 1, repetitions: 2 },
    uncached: {
      full: { ...base, events: 10_000, streams: 100, batch: 1, repetitions: 3 },
      quick: { ...base, events: 1_000, streams: 100, batch: 1, repetitions: 2 }
    },
    stores: embeddedStores
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
  },
  // Conditional appends and filtered reads (ConditionalWorkloads), beside append-concurrent and read-all.
  "append-conditional": {
    name: "append-conditional",
    description: "50 fibers appending single events, each conditioned on a tag of its own (disjoint conditions)",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 50_000, streams: 50, batch: 1, repetitions: 3 },
    quick: { ...base, events: 5_000, streams: 50, batch: 1, repetitions: 2 },
    postgres: {
      full: { ...base, events: 5_000, streams: 50, batch: 1, repetitions: 3 },
      quick: { ...base, events: 500, streams: 50, batch: 1, repetitions: 2 }
    },
    stores: ["sqlite", "memory", "postgres"]
  },
  "append-conditional-hot": {
    name: "append-conditional-hot",
    description:
      "50 fibers on one tag: read the tag after the last marker, append under it, retry on a failed condition",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 5_000, streams: 50, batch: 1, repetitions: 3 },
    quick: { ...base, events: 500, streams: 50, batch: 1, repetitions: 2 },
    // On PostgreSQL each failed try is a transaction that waited for the tag's lock: a few events per second.
    postgres: {
      full: { ...base, events: 100, streams: 50, batch: 1, repetitions: 3 },
      quick: { ...base, events: 50, streams: 50, batch: 1, repetitions: 2 }
    },
    stores: ["sqlite", "memory", "postgres"]
  },
  // `events` counts the matching events read: 10 reads of the 1,000 events of one tag among 100,000.
  "read-tag": {
    name: "read-tag",
    description: "read by one tag (1% of 100,000 events over 100 tags), decoded: events/s of matching events",
    fresh: false,
    bulkSetup: false,
    full: { events: 10_000, streams: 100, batch: 100, background: 100_000, passes: 10, repetitions: 5 },
    quick: { events: 1_000, streams: 100, batch: 100, background: 10_000, passes: 10, repetitions: 2 },
    stores: ["sqlite", "memory", "postgres"]
  },
  // Four OS processes, each with a pool of its own, appending single events to streams of their own at once.
  "append-processes": {
    name: "append-processes",
    description: "4 processes, each with its own pool, appending single events to 25 streams of its own",
    fresh: true,
    bulkSetup: false,
    full: { ...base, events: 4_000, streams: 100, batch: 1, repetitions: 5 },
    quick: { ...base, events: 400, streams: 100, batch: 1, repetitions: 2 },
    stores: postgresStores
  },
  // The HTTP API (`@chronicle/http`'s `Server.layer`) in the worker over the store, on loopback, driven by autocannon
  // from a child process of its own. Appends: one event a request, `expectedVersion any` (no If-Match), round-robin
  // over `streams` streams.
  "http-append-1": http(
    "http-append-1",
    "HTTP appends of one event (POST /api/streams/:id, no If-Match), 1 connection",
    {
      fresh: true,
      connections: 1,
      full: httpAppends(2_000),
      quick: httpAppends(500),
      direct: "append-concurrent"
    }
  ),
  "http-append-50": http(
    "http-append-50",
    "HTTP appends of one event over 50 connections, round-robin over 100 streams",
    {
      fresh: true,
      connections: 50,
      full: httpAppends(6_000),
      quick: httpAppends(2_000),
      direct: "append-concurrent"
    }
  ),
  // Reads of whole 100-event streams (GET /api/streams/:id?limit=100) among read-all's 100,000 events (`background`);
  // `events` counts the events the reads return (`eventsPerRead` a request).
  "http-read-1": http("http-read-1", "HTTP reads of a whole 100-event stream among 100,000 events, 1 connection", {
    fresh: false,
    connections: 1,
    full: httpReads(100_000, 1_000),
    quick: httpReads(20_000, 100),
    direct: "read-all"
  }),
  "http-read-50": http("http-read-50", "the same HTTP stream reads over 50 connections at once", {
    fresh: false,
    connections: 50,
    full: httpReads(200_000, 1_000),
    quick: httpReads(50_000, 100),
    direct: "read-all"
  }),
  // 100 clients on the live feed (GET /api/events/live, Server-Sent Events) while the worker appends `events / 100`
  // events in batches of `batch`; `events` counts the events delivered (every client must get every one, in order).
  "http-sse-100": http("http-sse-100", "100 live SSE clients, each receiving every one of 2,000 appended events", {
    fresh: true,
    connections: 100,
    full: { ...base, events: 200_000, streams: 100, batch: 10 },
    quick: { ...base, events: 20_000, streams: 100, batch: 10 }
  })
}

/**
 * The HTTP workloads, which `--workload http` selects together.
 *
 * @since 0.1.0
 * @category constants
 */
export const httpWorkloads: ReadonlyArray<WorkloadName> = [
  "http-append-1",
  "http-append-50",
  "http-read-1",
  "http-read-50",
  "http-sse-100"
]

/**
 * The events one HTTP read returns: `http-read-*` reads whole streams of this length.
 *
 * @since 0.1.0
 * @category constants
 */
export const eventsPerRead = 100

/**
 * The sizes of a workload on a store: its PostgreSQL sizes on the PostgreSQL stores, and its sizes without a state
 * cache on the baselines, when it has them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const sizes = (workload: Workload, store: StoreName): { readonly full: Params; readonly quick: Params } =>
  onPostgres(store) && workload.postgres !== undefined
    ? workload.postgres
    : uncachedStores.includes(store) && workload.uncached !== undefined
      ? workload.uncached
      : workload

/** The baselines without a state cache. */
const uncachedStores: ReadonlyArray<StoreName> = ["bare", "lean", "naive"]

/**
 * How many processes `append-processes` runs.
 *
 * @since 0.1.0
 * @category constants
 */
export const appendProcesses = 4

/**
 * The parameters of the warm-up that precedes the measured repetitions: the quick size for workloads on a fresh
 * store; for reads, one pass over at most 100,000 events of the data already stored.
 *
 * @since 0.1.0
 * @category constructors
 */
export const warmUp = (workload: Workload, store: StoreName, params: Params): Params =>
  workload.fresh
    ? sizes(workload, store).quick
    : { ...params, events: Math.min(params.events, 100_000) / params.passes, passes: 1, repetitions: 1 }

/**
 * The length of the stream `read-stream` reads.
 *
 * @since 0.1.0
 * @category constructors
 */
export const streamLength = (params: Params): number => params.events / params.passes
