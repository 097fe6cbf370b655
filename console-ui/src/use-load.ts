// Loads data for a view: the answer, the error, and a reload, with stale answers (from an earlier
// key, e.g. the previous filter) dropped. While a new key loads, the last data stays on screen if it
// belongs to the same `group` (the same list, filtered otherwise), so typing doesn't flicker.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

export interface Loaded<T> { data: T | undefined; error: string | undefined; loading: boolean; reload: () => void }

export function useLoad<T>(load: () => Promise<T>, key: string, group = key): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean; group?: string }>({ loading: true })
  const [tick, setTick] = useState(0)
  const latest = useRef(0)
  useEffect(() => {
    const mine = ++latest.current
    setState((s) => (s.group === group ? { ...s, loading: true } : { loading: true, group }))
    load().then(
      (data) => { if (mine === latest.current) setState({ data, loading: false, group }) },
      (e: Error) => { if (mine === latest.current) setState({ error: e.message, loading: false, group }) },
    )
  }, [key, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  const mine = state.group === group
  return { data: mine ? state.data : undefined, error: mine ? state.error : undefined, loading: state.loading || !mine, reload }
}
