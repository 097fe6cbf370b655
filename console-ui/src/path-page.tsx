// One event's path as a graph (SVG): where it began, each hop with its attempts and outcomes, and
// retries already scheduled on the clock; the same hops listed in a table below.
import { api, type PathAnswer, type PathNode, type ServicesAnswer } from './api.ts'
import { time } from './format.ts'
import { layout, NODE_H, NODE_W, type PlacedEdge } from './path-layout.ts'
import { href } from './router.ts'
import { useLoad } from './use-load.ts'

export function PathPage({ seq }: { seq: number }) {
  const path = useLoad(() => api.path(seq), String(seq))
  const services = useLoad(() => api.services(), 'services')
  return (
    <>
      <p><a href={href(['trace'])}>← Trace</a></p>
      <h1>Path of trace entry {seq}</h1>
      {path.error !== undefined && <p role="alert" class="error">{path.error}</p>}
      {path.data !== undefined && <PathView path={path.data} services={services.data} />}
    </>
  )
}

function PathView({ path, services }: { path: PathAnswer; services: ServicesAnswer | undefined }) {
  if (path.nodes.length === 0) return <p class="muted">This entry went nowhere else.</p>
  const drawn = layout(path)
  const label = `Path through ${path.nodes.map((n) => n.label).join(', ')}`
  return (
    <>
      <div class="graph-wrap" tabIndex={0} aria-label="Path graph" role="group">
        <svg class="graph" viewBox={`0 0 ${drawn.width} ${drawn.height}`} width={drawn.width} height={drawn.height} role="group" aria-label={label}>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
            </marker>
          </defs>
          {drawn.edges.map((e, i) => <Edge key={i} edge={e} />)}
          {drawn.nodes.map((n) => (
            <a key={n.key} href={nodeHref(n, services)} class={`node svc-${n.service}`} data-node={n.label}>
              <rect x={n.x} y={n.y} width={NODE_W} height={NODE_H} rx="8" />
              <text x={n.x + 10} y={n.y + 19} class="node-service">{n.service}</text>
              <text x={n.x + 10} y={n.y + 37} class="node-label">{shown(n.label)}</text>
            </a>
          ))}
        </svg>
      </div>
      <table class="grid hops">
        <caption>Hops</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Attempt</th><th scope="col">Outcome</th><th scope="col">Detail</th></tr></thead>
        <tbody>
          {[...path.edges].sort((a, b) => a.at - b.at || a.seq - b.seq).map((e, i) => (
            <tr key={i} class={`outcome-${e.outcome === 'delivered' ? 'ok' : e.outcome === 'dropped' ? 'muted' : e.outcome === 'retrying' ? 'wait' : 'bad'}`}>
              <td><time>{time(e.at)}</time></td><td>{name(path, e.from)}</td><td>{name(path, e.to)}</td>
              <td>{e.attempt ?? ''}</td><td>{e.outcome}</td><td class="long">{e.detail ?? ''}</td>
            </tr>
          ))}
          {path.pending.map((p, i) => (
            <tr key={`p${i}`} class="outcome-wait">
              <td><time>{time(p.at)}</time></td><td /><td>{name(path, p.target)}</td><td>{p.attempt}</td><td>scheduled</td><td>due on the clock</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

function shown(label: string): string {
  return label.length > 24 ? `${label.slice(0, 23)}…` : label
}

/**
 * Where a node leads: its resource's page when the node's service declares a type its ARN names
 * (`…:function:…`) or only one type; else the trace of everything that touched it.
 */
function nodeHref(n: PathNode, services: ServicesAnswer | undefined): string {
  const declared = services?.services.find((s) => s.name === n.service)?.resourceTypes ?? []
  const arn = n.arn ?? ''
  const resource = arn.split(':').slice(5).join(':')
  const type = declared.find((t) => new RegExp(`(^|[:/])${t.type}[:/]`).test(resource)) ?? (declared.length === 1 ? declared[0] : undefined)
  return type !== undefined && arn !== '' ? href(['resource', n.service, type.type, arn]) : href(['trace'], { resource: arn || n.label })
}

function name(path: PathAnswer, key: string): string {
  return path.nodes.find((n) => n.key === key)?.label ?? key
}

function Edge({ edge }: { edge: PlacedEdge }) {
  const x1 = edge.from.x + NODE_W
  const y1 = edge.from.y + NODE_H / 2
  const x2 = edge.to.x
  const y2 = edge.to.y + NODE_H / 2
  const mid = (x1 + x2) / 2
  const last = edge.edges.at(-1)
  const pending = edge.pendingAt !== undefined
  // Filtered out (an SNS filter policy, a rule that didn't match) is no failure: drawn grey.
  const cls = pending ? 'pending' : last?.outcome === 'delivered' ? 'ok' : last?.outcome === 'retrying' ? 'wait' : last?.outcome === 'dropped' ? 'skip' : 'bad'
  const text = pending
    ? `#${edge.pendingAttempt ?? ''} due ${time(edge.pendingAt!).slice(11)}`
    : edge.edges.map((e) => `${e.attempt === undefined ? '' : `#${e.attempt} `}${e.outcome}`).join(', ')
  // A retry still to come bows below the attempts already made, its label under it.
  const bow = pending ? 26 : 0
  const labelY = pending ? (y1 + y2) / 2 + bow + 18 : (y1 + y2) / 2 - 6
  return (
    <g class={`edge ${cls}`}>
      <path d={`M${x1},${y1} C${mid},${y1 + bow * 1.4} ${mid},${y2 + bow * 1.4} ${x2},${y2}`} fill="none" marker-end="url(#arrow)" />
      <text x={mid} y={labelY} text-anchor="middle">{text.length > 26 ? `${text.slice(0, 25)}…` : text}</text>
      <title>{text}</title>
    </g>
  )
}
