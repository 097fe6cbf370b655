// Light, dark, or the system's choice (the default): a button cycles them, the page remembers it.
import { useLayoutEffect, useState } from 'preact/hooks'

type Theme = 'auto' | 'light' | 'dark'
const order: Theme[] = ['auto', 'light', 'dark']

function stored(): Theme {
  try {
    const value = localStorage.getItem('nimbus-theme')
    return value === 'light' || value === 'dark' ? value : 'auto'
  } catch {
    return 'auto'
  }
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(stored)
  useLayoutEffect(() => {
    if (theme === 'auto') delete document.documentElement.dataset.theme
    else document.documentElement.dataset.theme = theme
    try { localStorage.setItem('nimbus-theme', theme) } catch { /* private mode: not remembered */ }
  }, [theme])
  const next = order[(order.indexOf(theme) + 1) % order.length]!
  return (
    <button type="button" class="theme" onClick={() => setTheme((t) => order[(order.indexOf(t) + 1) % order.length]!)} title={`Switch to ${next} theme`}>
      Theme: {theme}
    </button>
  )
}
