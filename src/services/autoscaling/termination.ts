// Which instances a scale-in terminates: AWS's order. First the zone with the most instances
// (unprotected ones only are candidates; AZ balance always comes first), then each termination
// policy in the group's list narrows the candidates, `Default` last; a tie left over goes to the
// instance launched first (AWS picks at random; Nimbus stays deterministic).
import type { Group, GroupInstance, LaunchConfiguration } from './group.ts'

export interface TerminationContext {
  now: number
  /** Launch configurations by name (their creation times order OldestLaunchConfiguration). */
  launchConfigurations: ReadonlyMap<string, LaunchConfiguration>
}

/** Picks `count` instances to terminate, one at a time (each pick re-balances the zones). */
export function chooseForTermination(group: Group, candidates: readonly GroupInstance[], count: number, ctx: TerminationContext): GroupInstance[] {
  const pool = candidates.filter((i) => !i.protectedFromScaleIn)
  const chosen: GroupInstance[] = []
  while (chosen.length < count && pool.length > 0) {
    const pick = chooseOne(group, pool, ctx)
    chosen.push(pick)
    pool.splice(pool.indexOf(pick), 1)
  }
  return chosen
}

function chooseOne(group: Group, pool: GroupInstance[], ctx: TerminationContext): GroupInstance {
  let candidates = inFullestZone(group, pool)
  for (const policy of [...group.terminationPolicies.filter((p) => p !== 'Default'), 'Default']) {
    if (candidates.length === 1) break
    candidates = applyPolicy(group, policy, candidates, ctx)
  }
  return candidates.reduce((a, b) => (b.launchTime < a.launchTime ? b : a))
}

/** The candidates in the zone with the most of the group's instances (ties: the zone listed first). */
function inFullestZone(group: Group, pool: GroupInstance[]): GroupInstance[] {
  const counts = new Map<string, number>()
  for (const i of pool) counts.set(i.zone, (counts.get(i.zone) ?? 0) + 1)
  const order = [...group.zones, ...[...counts.keys()].filter((z) => !group.zones.includes(z)).sort()]
  let best: string | undefined
  for (const zone of order) if ((counts.get(zone) ?? 0) > (best === undefined ? 0 : counts.get(best)!)) best = zone
  return pool.filter((i) => i.zone === best)
}

function applyPolicy(group: Group, policy: string, candidates: GroupInstance[], ctx: TerminationContext): GroupInstance[] {
  switch (policy) {
    case 'OldestInstance': return extremes(candidates, (i) => i.launchTime, 'min')
    case 'NewestInstance': return extremes(candidates, (i) => i.launchTime, 'max')
    case 'OldestLaunchConfiguration': return oldestLaunchConfiguration(candidates, ctx)
    case 'OldestLaunchTemplate': return oldestLaunchTemplate(group, candidates)
    case 'ClosestToNextInstanceHour': return extremes(candidates, (i) => toNextHour(i, ctx.now), 'min')
    case 'Default': {
      // Oldest launch template or configuration first, then closest to the next billing hour.
      const old = group.launchTemplate !== undefined ? oldestLaunchTemplate(group, candidates) : oldestLaunchConfiguration(candidates, ctx)
      return extremes(old, (i) => toNextHour(i, ctx.now), 'min')
    }
    default: return candidates
  }
}

function toNextHour(i: GroupInstance, now: number): number {
  const ran = Math.max(0, now - i.launchTime) % 3_600_000
  return 3_600_000 - ran
}

/** Instances without a configuration first, then those of the oldest one. */
function oldestLaunchConfiguration(candidates: GroupInstance[], ctx: TerminationContext): GroupInstance[] {
  const none = candidates.filter((i) => i.launchConfigurationName === undefined || !ctx.launchConfigurations.has(i.launchConfigurationName))
  if (none.length > 0 && none.length < candidates.length) return none
  return extremes(candidates, (i) => ctx.launchConfigurations.get(i.launchConfigurationName ?? '')?.createdTime ?? 0, 'min')
}

/** Instances not on the group's current template first, then those of the oldest version. */
function oldestLaunchTemplate(group: Group, candidates: GroupInstance[]): GroupInstance[] {
  const current = group.launchTemplate
  const onOther = candidates.filter((i) => i.launchTemplate === undefined || current === undefined
    || (i.launchTemplate.id !== current.LaunchTemplateId && i.launchTemplate.name !== current.LaunchTemplateName))
  if (onOther.length > 0 && onOther.length < candidates.length) return onOther
  return extremes(candidates, (i) => Number(i.launchTemplate?.version ?? 0), 'min')
}

function extremes(candidates: GroupInstance[], key: (i: GroupInstance) => number, which: 'min' | 'max'): GroupInstance[] {
  if (candidates.length === 0) return candidates
  const values = candidates.map(key)
  const target = which === 'min' ? Math.min(...values) : Math.max(...values)
  return candidates.filter((_, k) => values[k] === target)
}
