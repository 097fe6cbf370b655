// Canary releases of a REST API stage (`canarySettings`): which requests the canary deployment serves,
// with the stage's variables overridden by the canary's, and the settings as the control plane keeps them.
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { StageData } from '../api-data.ts'

/**
 * AWS picks canary requests at random in the proportion `percentTraffic`. Nimbus splits
 * deterministically so tests can count: the n-th request a stage serves under one canary
 * (deployment, percentage) goes to the canary when round(n·p/100) > round((n−1)·p/100) — after N
 * requests exactly round(N·p/100) of them were canary requests, spread evenly (e.g. 25 %: the 2nd,
 * 6th, 10th…). A change of the canary's deployment or percentage starts the count over.
 */
export class CanarySplit {
  private readonly counts = new Map<string, number>()

  /** True when this request (the next under `key`) goes to the canary. */
  next(key: string, percent: number): boolean {
    if (percent <= 0) return false
    if (percent >= 100) return true
    const n = (this.counts.get(key) ?? 0) + 1
    this.counts.set(key, n)
    const share = (k: number) => Math.floor((k * percent) / 100 + 0.5 + 1e-9)
    return share(n) > share(n - 1)
  }

  clear(): void {
    this.counts.clear()
  }
}

/** The stage a request is served by: the stage itself, or — for a canary request — its canary deployment with the overrides. */
export function servedStage(split: CanarySplit, apiId: string, stage: StageData, hasDeployment: (id: string) => boolean): { stage: StageData; canary: boolean } {
  const canary = stage.canarySettings
  if (canary === undefined) return { stage, canary: false }
  const deploymentId = canary.deploymentId ?? stage.deploymentId
  const percent = canary.percentTraffic ?? 0
  if (!hasDeployment(deploymentId) || !split.next(`${apiId}/${stage.stageName}/${deploymentId}/${percent}`, percent)) return { stage, canary: false }
  return { stage: { ...stage, deploymentId, variables: { ...stage.variables, ...canary.stageVariableOverrides } }, canary: true }
}

/** [R] AWS's refusal of a percentage outside 0–100. */
export function checkedPercent(percent: number | undefined): number {
  const p = percent ?? 0
  if (!Number.isFinite(p) || p < 0 || p > 100) throw apiGatewayErrors.badRequest('Canary traffic percentage must be between 0.0 and 100.0')
  return p
}

/** The canary as the stage keeps it (CreateStage's CanarySettings, or CreateDeployment's for the new deployment). */
export function canaryOf(input: T.CanarySettings, fallbackDeploymentId: string): T.CanarySettings {
  return {
    percentTraffic: checkedPercent(input.percentTraffic), deploymentId: input.deploymentId ?? fallbackDeploymentId,
    ...(input.stageVariableOverrides !== undefined && Object.keys(input.stageVariableOverrides).length > 0 && { stageVariableOverrides: { ...input.stageVariableOverrides } }),
    useStageCache: input.useStageCache ?? false,
  }
}
