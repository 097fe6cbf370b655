// A small SVG line chart over clock time: one line per series, dashed lines for alarm thresholds,
// axis labels at the ends; the numbers are also in a table for screen readers.
import type { Chart } from './api.ts'
import { time } from './format.ts'

const W = 640
const H = 200
const PAD = { left: 48, right: 12, top: 12, bottom: 28 }

export function LineChart({ chart }: { chart: Chart }) {
  const points = chart.series.flatMap((s) => s.points)
  const thresholds = chart.thresholds ?? []
  const titleId = `chart-${chart.title.replace(/[^a-z0-9]+/gi, '-')}`
  if (points.length === 0) return <><h2 id={titleId}>{chart.title}</h2><p class="muted">No data yet.</p></>
  const xs = points.map((p) => p[0])
  const ys = [...points.map((p) => p[1]), ...thresholds.map((t) => t.value), 0]
  // One instant only (a first sample): a minute either side, so its points sit in the middle.
  const spread = Math.max(...xs) === Math.min(...xs) ? 60_000 : 0
  const x0 = Math.min(...xs) - spread
  const x1 = Math.max(...xs) + spread
  const y0 = Math.min(...ys)
  const y1 = Math.max(...ys, y0 + 1)
  const sx = (x: number): number => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right)
  const sy = (y: number): number => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom)
  return (
    <figure class="chart">
      <h2 id={titleId}>{chart.title}</h2>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId}>
        <line class="axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
        <line class="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
        <text class="tick" x={PAD.left - 4} y={sy(y1) + 4} text-anchor="end">{round(y1)}</text>
        <text class="tick" x={PAD.left - 4} y={sy(y0) + 4} text-anchor="end">{round(y0)}</text>
        <text class="tick" x={PAD.left} y={H - 8}>{time(x0)}</text>
        <text class="tick" x={W - PAD.right} y={H - 8} text-anchor="end">{time(x1)}</text>
        {thresholds.map((t, i) => (
          <g key={`t${i}`} class="threshold">
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(t.value)} y2={sy(t.value)} />
            <text x={W - PAD.right} y={sy(t.value) - 4} text-anchor="end">{t.label} {round(t.value)}</text>
          </g>
        ))}
        {chart.series.map((s, i) => (
          <g key={s.label} class={`series s${i % 4}`}>
            <polyline fill="none" points={s.points.map((p) => `${sx(p[0])},${sy(p[1])}`).join(' ')} />
            {s.points.length <= 60 && s.points.map((p, j) => <circle key={j} cx={sx(p[0])} cy={sy(p[1])} r="2.5" />)}
          </g>
        ))}
      </svg>
      <figcaption>
        <ul class="legend">
          {chart.series.map((s, i) => <li key={s.label}><span class={`swatch s${i % 4}`} aria-hidden="true" />{s.label}</li>)}
        </ul>
        <details>
          <summary>Data</summary>
          <table class="grid">
            <thead><tr><th scope="col">Series</th><th scope="col">Time</th><th scope="col">Value</th></tr></thead>
            <tbody>
              {chart.series.flatMap((s) => s.points.map((p, j) => <tr key={`${s.label}-${j}`}><td>{s.label}</td><td>{time(p[0])}</td><td>{p[1]}</td></tr>))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  )
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2)
}
