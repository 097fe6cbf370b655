// The metric sources other services register (port.ts, MetricSource), by namespace: each region's
// Metrics asks them first, so AWS/EC2 reads come from EC2's change logs, never from stored minutes.
import type { Dimension } from './metric.ts'
import type { SourceLookup } from './metrics.ts'
import type { MetricSource } from './port.ts'
import { SourcedMetric } from './sourced-metric.ts'

export class MetricSources {
  private readonly byNamespace = new Map<string, MetricSource>()

  add(source: MetricSource): void {
    this.byNamespace.set(source.namespace, source)
  }

  has(namespace: string): boolean {
    return this.byNamespace.has(namespace)
  }

  lookup(account: string, region: string): SourceLookup {
    return {
      find: (namespace: string, name: string, dimensions: readonly Dimension[]) => {
        const source = this.byNamespace.get(namespace)
        const series = source?.find(account, region, name, dimensions)
        return series === undefined ? undefined : new SourcedMetric(namespace, series)
      },
      list: (namespace: string | undefined) => {
        const out: SourcedMetric[] = []
        for (const source of this.byNamespace.values()) {
          if (namespace !== undefined && source.namespace !== namespace) continue
          for (const series of source.list(account, region)) out.push(new SourcedMetric(source.namespace, series))
        }
        return out
      },
    }
  }
}
