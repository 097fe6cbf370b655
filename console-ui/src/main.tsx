// The Nimbus web console: header and clock bar around the page the hash route names (resources,
// one resource, the trace timeline, one event's path). Mounted into index.html's #app.
import { render } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { ClockBar } from './clock-bar.tsx'
import { ResourceDetailPage } from './detail.tsx'
import { PathPage } from './path-page.tsx'
import { ResourcesPage } from './resources.tsx'
import { href, useRoute, type Route } from './router.ts'
import { ThemeToggle } from './theme.tsx'
import { TracePage } from './trace-page.tsx'

function Page({ route }: { route: Route }) {
  const [first, a, b, c] = route.parts
  if (first === 'trace' && a !== undefined) return <PathPage seq={Number(a)} />
  if (first === 'trace') return <TracePage query={route.query} />
  if (first === 'resource' && a !== undefined && b !== undefined && c !== undefined) {
    return <ResourceDetailPage service={a} type={b} id={c} />
  }
  return <ResourcesPage service={first === 'resources' ? a : undefined} type={first === 'resources' ? b : undefined} query={route.query} />
}

function App() {
  const route = useRoute()
  const main = useRef<HTMLElement>(null)
  const section = route.parts[0] === 'trace' ? 'trace' : 'resources'
  useEffect(() => {
    // "/" jumps to the page's filter box, as in most consoles; Escape leaves it.
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement
      const typing = target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'
      if (e.key === '/' && !typing) {
        const box = document.querySelector<HTMLInputElement>('[data-filter]')
        // Focused after this key's default is gone, so the "/" itself isn't typed into the box.
        if (box !== null) { e.preventDefault(); setTimeout(() => box.focus()) }
      } else if (e.key === 'Escape' && typing) {
        target.blur()
      }
    }
    addEventListener('keydown', onKey)
    return () => removeEventListener('keydown', onKey)
  }, [])
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus() }}>Skip to content</a>
      <header class="top">
        <a class="brand" href={href([])}>Nimbus</a>
        <nav aria-label="Sections">
          <a href={href(['resources'])} aria-current={section === 'resources' ? 'page' : undefined}>Resources</a>
          <a href={href(['trace'])} aria-current={section === 'trace' ? 'page' : undefined}>Trace</a>
        </nav>
        <ThemeToggle />
      </header>
      <ClockBar />
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  )
}

const root = document.getElementById('app')!
root.textContent = '' // the "Loading…" placeholder
render(<App />, root)
