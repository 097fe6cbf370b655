// A resource's sections, drawn by kind as the service declared them: key/value pairs, a table,
// JSON, plain text, or log lines. A region that scrolls takes focus, so a keyboard can scroll it.
import type { Section } from './api.ts'
import { time, value } from './format.ts'

interface TableData { columns: { key: string; label: string }[]; rows: Record<string, unknown>[] }

export function SectionView({ section }: { section: Section }) {
  return (
    <section class="card" aria-label={section.title}>
      <h2>{section.title}</h2>
      <Body section={section} />
    </section>
  )
}

function Body({ section }: { section: Section }) {
  const { kind, data } = section
  if (kind === 'kv') {
    const entries = Object.entries((data ?? {}) as Record<string, unknown>)
    if (entries.length === 0) return <p class="muted">None.</p>
    return <dl class="kv">{entries.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{value(v)}</dd></div>)}</dl>
  }
  if (kind === 'table') {
    const table = data as TableData
    if (table.rows.length === 0) return <p class="muted">None.</p>
    return (
      <div class="scroll" tabIndex={0} role="group" aria-label={section.title}>
        <table class="grid">
          <thead><tr>{table.columns.map((c) => <th scope="col" key={c.key}>{c.label}</th>)}</tr></thead>
          <tbody>
            {table.rows.map((row, i) => <tr key={i}>{table.columns.map((c) => <td key={c.key}><Cell v={row[c.key]} /></td>)}</tr>)}
          </tbody>
        </table>
      </div>
    )
  }
  if (kind === 'log') {
    const lines = (data ?? []) as { at: number; message: string }[]
    if (lines.length === 0) return <p class="muted">No log lines.</p>
    return <ol class="log" tabIndex={0} aria-label={section.title}>{lines.map((l, i) => <li key={i}><time>{time(l.at)}</time> <span>{l.message}</span></li>)}</ol>
  }
  if (kind === 'text') return <pre class="text" tabIndex={0}>{String(data ?? '')}</pre>
  return <pre class="json" tabIndex={0}>{JSON.stringify(data, null, 2)}</pre>
}

/** A long value (a message body) is shown whole but wraps; objects print as JSON. */
function Cell({ v }: { v: unknown }) {
  const text = value(v)
  return text.length > 80 ? <span class="long">{text}</span> : <>{text}</>
}
