// Hash routes (#/resources/sqs/queue?q=…): the console is one page served at /_nimbus/ui, so a link,
// the back button and a reload all work without the server knowing any route.
import { useEffect, useState } from 'preact/hooks'

export interface Route { parts: string[]; query: URLSearchParams }

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?')
  return { parts: path.split('/').filter((p) => p !== '').map(decodeURIComponent), query: new URLSearchParams(search) }
}

export function href(parts: string[], query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v)
  const text = q.toString()
  return `#/${parts.map(encodeURIComponent).join('/')}${text === '' ? '' : `?${text}`}`
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash))
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(location.hash))
    addEventListener('hashchange', onChange)
    return () => removeEventListener('hashchange', onChange)
  }, [])
  return route
}

/** Replaces the query of the current route without adding a history entry per keystroke. */
export function replaceQuery(parts: string[], query: Record<string, string | undefined>): void {
  history.replaceState(null, '', href(parts, query))
  dispatchEvent(new HashChangeEvent('hashchange'))
}
