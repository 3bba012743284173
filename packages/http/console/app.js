// The Chronicle console: plain JavaScript over the public HTTP API, nothing else.
const $ = (selector) => document.querySelector(selector)
const api = async (path) => {
  const response = await fetch(path)
  if (!response.ok) throw new Error(`${path}: ${response.status}`)
  return response.json()
}
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children)
  return node
}
const json = (value) => JSON.stringify(value, null, 2)
const money = (minor) => (minor / 100).toLocaleString(undefined, { style: "currency", currency: "USD" })

let nextStreams = null
let current = null

async function loadStreams(append) {
  const prefix = $("#prefix").value
  const query = new URLSearchParams({ limit: "50" })
  if (prefix) query.set("prefix", prefix)
  if (append && nextStreams) query.set("after", nextStreams)
  const page = await api(`/api/streams?${query}`)
  if (!append) $("#streams").replaceChildren()
  for (const stream of page.streams) {
    const item = el(
      "li",
      { title: stream.streamId },
      el("span", { textContent: stream.streamId }),
      el("span", { className: "muted", textContent: `v${stream.version}` })
    )
    item.dataset.streamId = stream.streamId
    item.addEventListener("click", () => openStream(stream.streamId))
    $("#streams").append(item)
  }
  nextStreams = page.next
  $("#more").hidden = page.next === null
}

async function openStream(streamId) {
  current = streamId
  for (const item of document.querySelectorAll("#streams li"))
    item.classList.toggle("selected", item.dataset.streamId === streamId)
  $("#stream-title").textContent = streamId
  const page = await api(`/api/streams/${encodeURIComponent(streamId)}?limit=1000`)
  const body = $("#events tbody")
  body.replaceChildren()
  for (const event of page.events) {
    const row = el(
      "tr",
      {},
      el("td", { textContent: event.version }),
      el("td", { textContent: event.type }),
      el("td", { textContent: event.position }),
      el("td", { textContent: event.recordedAt })
    )
    row.addEventListener("click", () => {
      for (const other of body.children) other.classList.remove("selected")
      row.classList.add("selected")
      inspect(event)
    })
    body.append(row)
  }
  const slider = $("#slider")
  slider.max = String(page.version)
  slider.value = String(page.version)
  $("#travel").hidden = false
  await travel(page.version)
}

async function travel(version) {
  $("#slider-version").textContent = String(version)
  const response = await fetch(`/api/streams/${encodeURIComponent(current)}/state?version=${version}`)
  if (response.ok) {
    const at = await response.json()
    $("#decider").textContent = `(${at.decider})`
    $("#state").textContent = json(at.state)
    $("#balance").textContent = typeof at.state.balance === "number" ? money(at.state.balance) : ""
    $("#travel-event").textContent =
      at.event === null ? "(before the first event)" : json({ type: at.event.type, data: at.event.data })
  } else {
    $("#decider").textContent = "(no decider registered for this stream)"
    $("#state").textContent = ""
    $("#balance").textContent = ""
    const page =
      version === 0 ? { events: [] } : await api(`/api/streams/${encodeURIComponent(current)}?from=${version}&limit=1`)
    $("#travel-event").textContent = page.events[0]
      ? json({ type: page.events[0].type, data: page.events[0].data })
      : "(before the first event)"
  }
}

/** Finds an event by id in the global order (the API reads it page by page). */
async function findEvent(id) {
  let after = ""
  for (;;) {
    const page = await api(`/api/events?limit=1000${after ? `&after=${after}` : ""}`)
    const found = page.events.find((event) => event.id === id)
    if (found) return found
    if (page.next === null) return undefined
    after = page.next
  }
}

function inspect(event) {
  const link = (id) => {
    const anchor = el("a", { href: "#", textContent: id, className: "event-link" })
    anchor.addEventListener("click", async (e) => {
      e.preventDefault()
      const target = await findEvent(id)
      if (target) inspect(target)
      else anchor.replaceWith(el("span", { textContent: `${id} (not in this store)` }))
    })
    return anchor
  }
  const { correlationId, causationId, ...rest } = event.metadata
  const facts = el("dl")
  const fact = (name, value) => facts.append(el("dt", { textContent: name }), el("dd", {}, value))
  fact("stream", event.streamId)
  fact("version", String(event.version))
  fact("type", event.type)
  fact("id", event.id)
  fact("position", event.position)
  fact("recorded", event.recordedAt)
  if (correlationId) fact("correlation", link(correlationId))
  if (causationId) fact("causation", link(causationId))
  $("#inspected").replaceChildren(
    facts,
    el("h3", { textContent: "data" }),
    el("pre", { className: "json", id: "inspected-data", textContent: json(event.data) }),
    el("h3", { textContent: "metadata" }),
    el("pre", { className: "json", textContent: json(rest) })
  )
}

async function startTail() {
  const { head } = await api("/api/events?limit=1")
  const source = new EventSource(`/api/events/live?after=${encodeURIComponent(head)}`)
  source.onopen = () => ($("#live-status").textContent = "(connected)")
  source.onerror = () => ($("#live-status").textContent = "(reconnecting…)")
  source.onmessage = (message) => {
    const event = JSON.parse(message.data)
    const item = el("li", { textContent: `${event.position}  ${event.streamId}  v${event.version}  ${event.type}` })
    item.addEventListener("click", () => inspect(event))
    $("#tail").prepend(item)
    while ($("#tail").children.length > 200) $("#tail").lastChild.remove()
    refreshStats()
  }
}

async function refreshStats() {
  const stats = await api("/api/stats")
  $("#stats").textContent = `${stats.events} events · ${stats.streams} streams · head ${stats.head}`
}

async function loadCheckpoints() {
  const checkpoints = await api("/api/checkpoints")
  $("#checkpoints tbody").replaceChildren(
    ...(checkpoints.length === 0
      ? [el("tr", {}, el("td", { colSpan: 3, className: "muted", textContent: "No checkpoints yet." }))]
      : checkpoints.map((c) =>
          el(
            "tr",
            {},
            el("td", { textContent: c.name }),
            el("td", { textContent: c.position }),
            el("td", { textContent: String(c.lag) })
          )
        ))
  )
}

$("#prefix").addEventListener("input", () => loadStreams(false))
$("#more").addEventListener("click", () => loadStreams(true))
$("#slider").addEventListener("input", (e) => travel(Number(e.target.value)))
await Promise.all([loadStreams(false), refreshStats(), loadCheckpoints(), startTail()])
setInterval(loadCheckpoints, 5000)
