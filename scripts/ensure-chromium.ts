// Makes sure the browser tests have a browser: Debian's chromium at /usr/bin/chromium (or
// NIMBUS_CHROMIUM). Run before `npm test`. When it is missing and this is root on Debian, it installs
// the `chromium` package with apt-get (CI runs as root); otherwise it says how, and the browser tests
// fail (a green run always drove a real browser) unless NIMBUS_SKIP_BROWSER_TESTS=1 asks to skip them.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const chromiumPath = process.env.NIMBUS_CHROMIUM ?? '/usr/bin/chromium'

function install(): boolean {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return false
  console.log('[nimbus] installing Debian\'s chromium for the browser tests (apt-get install -y chromium)…')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
  } catch (error) {
    console.log(`[nimbus] apt-get could not install chromium: ${(error as Error).message}`)
  }
  return existsSync(chromiumPath)
}

if (import.meta.main && !existsSync(chromiumPath) && !install()) {
  console.log(`[nimbus] no browser at ${chromiumPath}: the console's browser tests will ${process.env.NIMBUS_SKIP_BROWSER_TESTS === '1' ? 'be skipped' : 'fail'}. ` +
    'Install it with `sudo apt-get install chromium` (Debian), point NIMBUS_CHROMIUM at a Chromium binary, ' +
    'or set NIMBUS_SKIP_BROWSER_TESTS=1 to skip them.')
}
