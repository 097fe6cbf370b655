// One resource: its fields, the sections, links to related resources, the actions it offers
// (forms built from the declared params), and its charts.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { api, type Action, type ResourceDetail, type TraceEntry } from './api.ts'
import { LineChart } from './chart.tsx'
import { value } from './format.ts'
import { useLive } from './live.ts'
import { href } from './router.ts'
import { SectionView } from './sections.tsx'
import { useLoad } from './use-load.ts'

export function ResourceDetailPage({ service, type, id }: { service: string; type: string; id: string }) {
  const detail = useLoad(() => api.resource(service, type, id), JSON.stringify([service, type, id]))
  useFollow(detail.data, detail.reload)
  if (detail.error !== undefined) {
    return <><Back service={service} type={type} /><p role="alert" class="error">{detail.error}</p></>
  }
  const r = detail.data
  if (r === undefined) return <p>Loading…</p>
  return (
    <article class="detail">
      <Back service={service} type={type} />
      <h1>{r.name}</h1>
      {r.arn !== undefined && <p class="arn"><code>{r.arn}</code></p>}
      <div class="detail-grid">
        <div class="main-col">
          <section class="card" aria-label="Fields">
            <h2>Fields</h2>
            <dl class="kv">{Object.entries(r.fields).map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{value(v)}</dd></div>)}</dl>
            <p><a href={href(['trace'], { resource: r.arn ?? r.name })}>Trace of this {type}</a></p>
          </section>
          {r.sections.map((s, i) => <SectionView key={`${s.title}-${i}`} section={s} />)}
        </div>
        <div class="side-col">
          {r.links.length > 0 && (
            <section class="card" aria-label="Related">
              <h2>Related</h2>
              <ul class="links">
                {r.links.map((l, i) => <li key={i}><a href={href(['resource', l.service, l.type, l.id])}>{l.label}</a></li>)}
              </ul>
            </section>
          )}
          {r.actions.length > 0 && (
            <section class="card" aria-label="Actions">
              <h2>Actions</h2>
              {r.actions.map((a) => <ActionForm key={a.name} resource={r} action={a} onDone={detail.reload} />)}
            </section>
          )}
          {r.charts.map((c, i) => <section class="card" key={i} aria-label={c.title}><LineChart chart={c} /></section>)}
        </div>
      </div>
    </article>
  )
}

/**
 * Keeps the page current as the cloud works: a trace entry naming this resource, or a clock move,
 * reloads it (at most every half second), so depth, messages and log lines tail themselves.
 */
function useFollow(r: ResourceDetail | undefined, reload: () => void): void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const soon = useCallback(() => { timer.current ??= setTimeout(() => { timer.current = undefined; reload() }, 500) }, [reload])
  useEffect(() => () => clearTimeout(timer.current), [])
  const onEntries = useCallback((batch: TraceEntry[]) => {
    const names = r === undefined ? [] : [r.name, r.arn ?? r.id].filter((n) => n !== '')
    const mine = (e: TraceEntry): boolean => names.some((n) => `${e.resource ?? ''} ${e.source ?? ''} ${e.target ?? ''}`.includes(n))
    if (batch.some(mine)) soon()
  }, [r, soon])
  useLive('trace', onEntries)
  useLive('clock', soon)
}

function Back({ service, type }: { service: string; type: string }) {
  return <p><a href={href(['resources', service, type])}>← All {type}s</a></p>
}

type Outcome = { ok: true; result: unknown } | { ok: false; message: string }

function ActionForm({ resource, action, onDone }: { resource: ResourceDetail; action: Action; onDone: () => void }) {
  const [values, setValues] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | undefined>()
  const run = async (): Promise<void> => {
    const params: Record<string, unknown> = {}
    for (const p of action.params) {
      const raw = values[p.key] ?? ''
      if (raw === '') continue
      if (p.kind === 'number') params[p.key] = Number(raw)
      else if (p.kind === 'json') {
        try { params[p.key] = JSON.parse(raw) } catch { setOutcome({ ok: false, message: `${p.label}: not valid JSON` }); return }
      } else params[p.key] = raw
    }
    setBusy(true)
    try {
      const answer = await api.action(resource.service, resource.type, resource.id, action.name, params)
      setOutcome({ ok: true, result: answer.result })
      onDone()
    } catch (e) {
      setOutcome({ ok: false, message: (e as Error).message })
    } finally {
      setBusy(false)
    }
  }
  const formId = `action-${action.name}`
  return (
    <form class="action" aria-labelledby={formId} onSubmit={(e) => { e.preventDefault(); void run() }}>
      <h3 id={formId}>{action.label}</h3>
      {action.params.map((p) => (
        <label key={p.key}>{p.label}
          {p.kind === 'json'
            ? <textarea rows={3} value={values[p.key] ?? ''} onInput={(e) => setValues({ ...values, [p.key]: e.currentTarget.value })} />
            : <input type={p.kind === 'number' ? 'number' : 'text'} value={values[p.key] ?? ''}
              onInput={(e) => setValues({ ...values, [p.key]: e.currentTarget.value })} />}
        </label>
      ))}
      <button type="submit" disabled={busy}>{action.label}</button>
      {outcome !== undefined && (outcome.ok
        ? <ActionResult result={outcome.result} />
        : <p role="alert" class="error">{outcome.message}</p>)}
    </form>
  )
}

/**
 * An action's result: log lines apart (an invoke's), lists of records as tables (a peek's messages),
 * a downloaded body (`base64`) as a file to save and its text shown, the rest as JSON.
 */
function ActionResult({ result }: { result: unknown }) {
  const r = (result !== null && typeof result === 'object' && !Array.isArray(result) ? result : { result }) as Record<string, unknown>
  const logs = Array.isArray(r.logs) ? (r.logs as unknown[]) : undefined
  const body = typeof r.base64 === 'string' ? r.base64 : undefined
  const text = body !== undefined && typeof r.text === 'string' ? r.text : undefined
  const apart = new Set(['logs', ...(body === undefined ? [] : ['base64', 'text'])])
  const tables = Object.entries(r).filter(([k, v]) => !apart.has(k) && isRecords(v)) as [string, Record<string, unknown>[]][]
  const rest = Object.fromEntries(Object.entries(r).filter(([k, v]) => !apart.has(k) && !isRecords(v)))
  return (
    <div class="result" role="status">
      {body !== undefined && <SaveLink base64={body} name={String(r.key ?? 'download').split('/').at(-1)!} type={String(r.contentType ?? '')} />}
      {Object.keys(rest).length > 0 && <pre class="json" tabIndex={0}>{JSON.stringify(result === r ? rest : result, null, 2)}</pre>}
      {text !== undefined && <pre class="text" aria-label="Contents" tabIndex={0}>{text.length > 20_000 ? `${text.slice(0, 20_000)}…` : text}</pre>}
      {tables.map(([key, rows]) => (
        <SectionView key={key} section={{ title: key, kind: 'table', data: { columns: columnsOf(rows), rows } }} />
      ))}
      {logs !== undefined && (
        <ol class="log" aria-label="Log lines" tabIndex={0}>
          {logs.map((l, i) => <li key={i}>{typeof l === 'string' ? l : value((l as { message?: unknown }).message ?? l)}</li>)}
        </ol>
      )}
    </div>
  )
}

/** A link that saves the bytes the action returned (made in the page: nothing is fetched again). */
function SaveLink({ base64, name, type }: { base64: string; name: string; type: string }) {
  const [url, setUrl] = useState<string | undefined>()
  useEffect(() => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const made = URL.createObjectURL(new Blob([bytes], { type: type === '' ? 'application/octet-stream' : type }))
    setUrl(made)
    return () => URL.revokeObjectURL(made)
  }, [base64, type])
  return url === undefined ? null : <p><a href={url} download={name}>Save {name}</a></p>
}

function isRecords(v: unknown): boolean {
  return Array.isArray(v) && v.every((row) => row !== null && typeof row === 'object' && !Array.isArray(row))
}

function columnsOf(rows: Record<string, unknown>[]): { key: string; label: string }[] {
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))]
  return keys.map((key) => ({ key, label: key }))
}
