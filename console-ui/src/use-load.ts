// Loads data for a view: the answer, the error, and a reload, with stale answers (from an earlier
// key, e.g. the previous filter) dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

export interface Loaded<T> { data: T | undefined; error: string | undefined; loading: boolean; reload: () => void }

export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  const latest = useRef(0)
  useEffect(() => {
    const mine = ++latest.current
    setState((s) => ({ ...s, loading: true }))
    load().then(
      (data) => { if (mine === latest.current) setState({ data, loading: false }) },
      (e: Error) => { if (mine === latest.current) setState({ error: e.message, loading: false }) },
    )
  }, [key, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data: state.data, error: state.error, loading: state.loading, reload }
}
