// STS's port: nothing other services call yet (the gateway resolves session keys through core's
// access-key directory). Types only.

export interface StsPort {
  /** Temporary credentials issued and not yet forgotten (for health and tests). */
  sessionCount(): number
}
