// STS's port (port.ts) implemented over its sessions.
import type { StsPort } from './port.ts'
import type { Sessions } from './sessions.ts'

export function createStsPort(sessions: Sessions): StsPort {
  return { sessionCount: () => sessions.size }
}
