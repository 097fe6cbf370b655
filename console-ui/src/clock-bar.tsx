// The clock bar: Nimbus's clock time and mode, buttons that move a manual clock (+1 min, +1 h,
// +1 day, or to a date), and what is due next (timers, pending deliveries and retries).
import { useCallback, useEffect, useState } from 'preact/hooks'
import { api, type ClockState, type Due } from './api.ts'
import { clockTime, time } from './format.ts'
import { announceClock, useLive } from './live.ts'

const steps = [{ label: '+1 min', ms: 60_000 }, { label: '+1 h', ms: 3_600_000 }, { label: '+1 day', ms: 86_400_000 }]

export function ClockBar() {
  const [clock, setClock] = useState<ClockState | undefined>()
  const [due, setDue] = useState<Due[] | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [date, setDate] = useState('')
  const refreshDue = useCallback(() => {
    api.due().then((a) => setDue(a.due), () => setDue(undefined))
  }, [])
  useEffect(() => {
    api.clock().then(setClock, (e: Error) => setError(e.message))
    refreshDue()
  }, [refreshDue])
  const onClock = useCallback((c: ClockState) => { setClock(c); refreshDue() }, [refreshDue])
  useLive('clock', onClock)
  const move = (body: { advanceMs: number } | { setTo: string }): void => {
    setError(undefined)
    api.moveClock(body).then((c) => announceClock(c), (e: Error) => setError(e.message))
  }
  const manual = clock?.mode === 'manual'
  return (
    <section class="clock" aria-label="Clock">
      <span>
        <span class="muted">Clock </span>
        <output data-testid="clock-now" aria-live="polite">{clock === undefined ? '…' : clockTime(clock.now)}</output>
        {clock !== undefined && <span class="badge">{clock.mode}</span>}
      </span>
      {steps.map((s) => (
        <button type="button" key={s.label} disabled={!manual} onClick={() => move({ advanceMs: s.ms })}
          title={manual ? `Move the clock forward ${s.label.slice(1)}` : 'Start Nimbus with --clock manual to move time'}>
          {s.label}
        </button>
      ))}
      <form class="inline" onSubmit={(e) => { e.preventDefault(); if (date !== '') move({ setTo: date }) }}>
        <label>
          <span class="visually-hidden">Set the clock to (UTC)</span>
          <input type="datetime-local" step="1" value={date} disabled={!manual} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={!manual || date === ''}>Set</button>
      </form>
      <details class="due">
        <summary>Due next{due === undefined ? '' : ` (${due.length})`}</summary>
        {due === undefined || due.length === 0 ? <p class="muted">Nothing scheduled.</p> : (
          <ul>
            {due.slice(0, 20).map((d, i) => (
              <li key={i}><time>{time(d.at)}</time> <span class="badge">{d.service}</span> {d.what}</li>
            ))}
          </ul>
        )}
      </details>
      {error !== undefined && <span role="alert" class="error">{error}</span>}
    </section>
  )
}
