// The trace timeline: API calls and delivery hops, newest first, filtered by service, resource and
// text (the server filters; new entries arrive live by server-sent events). Each row opens its path.
import { useCallback, useState } from 'preact/hooks'
import { api, type TraceEntry } from './api.ts'
import { shortArn, time } from './format.ts'
import { useLive } from './live.ts'
import { href, replaceQuery } from './router.ts'
import { useLoad } from './use-load.ts'

const LIMIT = 500

export function TracePage({ query }: { query: URLSearchParams }) {
  const service = query.get('service') ?? ''
  const resource = query.get('resource') ?? ''
  const q = query.get('q') ?? ''
  const key = JSON.stringify([service, resource, q])
  const loaded = useLoad(() => api.trace({ service, resource, q, limit: LIMIT }), key, 'trace')
  const [live, setLive] = useState<{ key: string; entries: TraceEntry[] }>({ key, entries: [] })
  const [paused, setPaused] = useState(false)
  const onEntries = useCallback((batch: TraceEntry[]) => {
    const wanted = paused ? [] : batch.filter((e) => matches(e, service, resource, q))
    if (wanted.length > 0) setLive((l) => ({ key, entries: [...(l.key === key ? l.entries : []), ...wanted].slice(-LIMIT) }))
  }, [paused, service, resource, q, key])
  useLive('trace', onEntries)
  const set = (k: string, v: string): void => replaceQuery(['trace'], { service, resource, q, [k]: v })
  const seen = new Set<number>()
  const all = [...(loaded.data?.entries ?? []), ...(live.key === key ? live.entries : [])]
    .filter((e) => !seen.has(e.seq) && seen.add(e.seq) !== undefined)
    .sort((a, b) => b.seq - a.seq)
  return (
    <>
      <h1>Trace</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Service <input value={service} placeholder="sqs" onInput={(e) => set('service', e.currentTarget.value)} /></label>
        <label>Resource <input value={resource} placeholder="name or ARN" onInput={(e) => set('resource', e.currentTarget.value)} /></label>
        <label>Text <input type="search" data-filter value={q} placeholder="id, operation…" onInput={(e) => set('q', e.currentTarget.value)} /></label>
        <button type="button" onClick={loaded.reload}>Refresh</button>
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>{paused ? 'Resume live' : 'Pause live'}</button>
      </form>
      {loaded.error !== undefined && <p role="alert" class="error">{loaded.error}</p>}
      <table class="grid trace">
        <caption class="visually-hidden">Trace entries, newest first</caption>
        <thead>
          <tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Service</th><th scope="col">What</th>
            <th scope="col">Resource</th><th scope="col">Outcome</th><th scope="col">Path</th></tr>
        </thead>
        <tbody>
          {all.map((e) => (
            <tr key={e.seq} class={`outcome-${outcomeClass(e)}`}>
              <td>{e.seq}</td>
              <td><time>{time(e.at)}</time></td>
              <td>{e.service}</td>
              <td>{what(e)}{e.detail !== undefined && <div class="muted long">{e.detail}</div>}</td>
              <td class="long">{resourceOf(e)}</td>
              <td>{outcomeText(e)}</td>
              <td><a href={href(['trace', String(e.seq)])} aria-label={`Path of entry ${e.seq}`}>Path</a></td>
            </tr>
          ))}
        </tbody>
      </table>
      {loaded.data !== undefined && all.length === 0 && <p class="muted">Nothing traced{q !== '' || service !== '' || resource !== '' ? ' matches' : ' yet'}.</p>}
    </>
  )
}

function matches(e: TraceEntry, service: string, resource: string, q: string): boolean {
  if (service !== '' && e.service !== service) return false
  const text = JSON.stringify(e).toLowerCase()
  if (resource !== '' && !text.includes(resource.toLowerCase())) return false
  return q === '' || text.includes(q.toLowerCase())
}

function what(e: TraceEntry): string {
  if (e.kind === 'api') return `${e.operation ?? 'call'}${e.durationMs === undefined ? '' : ` (${e.durationMs < 10 ? e.durationMs.toFixed(1) : Math.round(e.durationMs)} ms)`}`
  return `${shortArn(e.source ?? '?')} → ${shortArn(e.target ?? '?')}${e.attempt !== undefined && e.attempt > 1 ? ` attempt ${e.attempt}` : ''}`
}

function resourceOf(e: TraceEntry): string {
  return e.resource !== undefined ? shortArn(e.resource) : e.id ?? e.requestId ?? ''
}

function outcomeText(e: TraceEntry): string {
  if (e.kind === 'api') return e.status === undefined ? '' : String(e.status)
  return e.outcome ?? ''
}

function outcomeClass(e: TraceEntry): string {
  if (e.kind === 'api') return e.status !== undefined && e.status >= 400 ? 'bad' : 'ok'
  return e.outcome === 'delivered' ? 'ok' : e.outcome === 'retrying' ? 'wait' : e.outcome === 'dropped' ? 'muted' : 'bad'
}
