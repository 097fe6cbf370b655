// What the control loop tells the world (notifications.ts implements it over the fabric): SNS
// notification configurations, lifecycle hook notifications and EventBridge events.
import type { Activity, Group, GroupInstance, LifecycleHook } from './group.ts'

export type InstanceEvent = 'launch' | 'launch-error' | 'terminate' | 'terminate-error'

export interface Announcer {
  /** An instance launched (InService), failed to launch, terminated, or failed to terminate. */
  instance(group: Group, event: InstanceEvent, activity: Activity, instance: GroupInstance | undefined): void
  /** An instance entered Pending:Wait or Terminating:Wait for a hook. */
  lifecycleAction(group: Group, hook: LifecycleHook, instance: GroupInstance): void
  /** Any other event of the group on the default bus (instance refresh events). */
  event?(group: Group, detailType: string, detail: Record<string, unknown>): void
}

export const silentAnnouncer: Announcer = { instance: () => {}, lifecycleAction: () => {} }
