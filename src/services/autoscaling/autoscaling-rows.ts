// Auto Scaling's durable state as rows of the persistence layer (docs/persistence.md): groups (with
// their instances, hooks, notification configurations: one row, rewritten at each change), launch
// configurations and scaling activities. Only built with a data dir.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { Activity, Group, LaunchConfiguration } from './group.ts'

export interface ActivityRow extends Activity {
  account: string
  region: string
}

const key = (r: { account: string; region: string; name: string }) => `${r.account}:${r.region}:${r.name}`

export class AutoScalingRows {
  private readonly groups: Table<Group>
  private readonly launchConfigurations: Table<LaunchConfiguration>
  private readonly activities: Table<ActivityRow>

  constructor(persistence: Persistence) {
    this.groups = persistence.table('autoscaling_groups')
    this.launchConfigurations = persistence.table('autoscaling_launch_configurations')
    this.activities = persistence.table('autoscaling_activities')
  }

  /** A group changed: its latest state is serialised when the turn commits. */
  group(g: Group): void {
    this.groups.put(key(g), g)
  }
  groupGone(g: Group): void {
    this.groups.delete(key(g))
  }
  launchConfiguration(c: LaunchConfiguration): void {
    this.launchConfigurations.put(key(c), c)
  }
  launchConfigurationGone(c: LaunchConfiguration): void {
    this.launchConfigurations.delete(key(c))
  }
  activity(account: string, region: string, a: Activity): void {
    this.activities.put(a.id, { toJSON: () => ({ ...a, account, region }) } as unknown as ActivityRow)
  }
  activityGone(a: Activity): void {
    this.activities.delete(a.id)
  }

  clear(): void {
    this.groups.clear()
    this.launchConfigurations.clear()
    this.activities.clear()
  }

  load(): { groups: Group[]; launchConfigurations: LaunchConfiguration[]; activities: ActivityRow[] } {
    return {
      groups: this.groups.load().map(([, g]) => g),
      launchConfigurations: this.launchConfigurations.load().map(([, c]) => c),
      activities: this.activities.load().map(([, a]) => a),
    }
  }
}
