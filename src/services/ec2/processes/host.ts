// Process-backed instances (opt-in: the tag `nimbus:process` = `true` at launch). When such an
// instance reaches `running` on the clock it gets its own Instance Metadata Service, and at its first
// boot its user data runs as a local process pointed at that IMDS (AWS_EC2_METADATA_SERVICE_ENDPOINT)
// and at Nimbus (AWS_ENDPOINT_URL): the AWS CLI and SDKs inside find the instance's identity, tags
// and role credentials as on EC2. Stopping or terminating the instance kills what it started and
// closes its IMDS; a start brings the IMDS back (user data does not run again, as with cloud-init).
import type { AccessKeyDirectory } from '../../../core/access-keys.ts'
import { newAccessKeyId } from '../../../core/access-keys.ts'
import type { Clock, Timer } from '../../../core/clock.ts'
import { type ImdsServer, startImds } from '../../../runtime/imds-server.ts'
import { type RunningUserData, runUserData } from '../../../runtime/instance-process.ts'
import { liveProfile } from '../iam-associations.ts'
import type { InstanceRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { metadataAt } from './metadata.ts'
import { randomBytes } from 'node:crypto'

export const processTag = 'nimbus:process'

export interface ProcessHostDeps {
  clock: Clock
  /** Where each instance's user data and its TMPDIR go (removed when it stops). */
  workDir: string
  /** Nimbus's own base URL: AWS_ENDPOINT_URL inside the instance. */
  endpoint: () => string
  log: (line: string) => void
  /** Auto Scaling's target lifecycle state for an instance in a group (undefined otherwise). */
  lifecycleState?: (account: string, region: string, instanceId: string) => string | undefined
  /** Role credentials register here, so requests signed with them act in the instance's account. */
  accessKeys?: AccessKeyDirectory
}

interface Hosted {
  imds?: ImdsServer
  userData?: RunningUserData
  closed: boolean
  credentials?: { keyId: string; json: string; expiresAt: number; role: string }
  /** It has been seen in an Auto Scaling group (leaving one while running is a detachment). */
  inGroup?: boolean
}

/** Whether an instance is process-backed: tagged `nimbus:process` = `true` at launch. */
export const isProcessBacked = (i: InstanceRecord) => i.tags.some((t) => t.Key === processTag && t.Value.toLowerCase() === 'true')

export class ProcessHost {
  private readonly deps: ProcessHostDeps
  private readonly state: Ec2State
  private readonly hosted = new Map<string, Hosted>()
  private readonly bootTimers = new Map<string, Timer>()
  /** The last lines each instance printed (GetConsoleOutput could show them), capped. */
  readonly output = new Map<string, string[]>()

  /** Kills what instances started when Nimbus's process exits without stopping its services. */
  private readonly onExit = () => this.closeAll()
  private exitHooked = false

  constructor(state: Ec2State, deps: ProcessHostDeps) {
    this.state = state
    this.deps = deps
  }

  /** Every save of an instance: a pending one is settled when its boot ends; running ones are hosted; others are not. */
  saved(region: RegionState, instance: InstanceRecord): void {
    if (!isProcessBacked(instance)) return
    if (instance.state === 'pending') return this.armBoot(region, instance)
    if (instance.state === 'running') return this.host(region, instance)
    this.halt(instance.id)
  }

  /** What the `/_nimbus/ec2/instances/{id}/process` hook shows: its IMDS (while running) and its user data's output. */
  describe(instanceId: string): { metadataEndpoint: string | undefined; output: string[] } | undefined {
    const entry = this.hosted.get(instanceId)
    const output = this.output.get(instanceId)
    if (entry === undefined && output === undefined) return undefined
    return { metadataEndpoint: entry?.imds?.endpoint, output: [...(output ?? [])] }
  }

  /** Kills every instance process and closes every IMDS (reset, stop). */
  closeAll(): void {
    for (const timer of this.bootTimers.values()) timer.cancel()
    this.bootTimers.clear()
    for (const id of [...this.hosted.keys()]) this.halt(id)
    this.output.clear()
    if (this.exitHooked) process.off('exit', this.onExit)
    this.exitHooked = false
  }

  private armBoot(region: RegionState, instance: InstanceRecord): void {
    const at = instance.since + this.state.timings.bootMs
    this.bootTimers.get(instance.id)?.cancel()
    // Reading the instance settles it: pending → running saves it, which hosts it.
    this.bootTimers.set(instance.id, this.deps.clock.at(at, () => {
      this.bootTimers.delete(instance.id)
      region.instance(instance.id)
    }))
  }

  private host(region: RegionState, instance: InstanceRecord): void {
    if (this.hosted.has(instance.id)) return
    const entry: Hosted = { closed: false }
    this.hosted.set(instance.id, entry)
    if (!this.exitHooked) {
      this.exitHooked = true
      process.once('exit', this.onExit)
    }
    const id = instance.id
    const current = () => region.instances.get(id) ?? instance
    const lifecycleState = this.deps.lifecycleState === undefined ? undefined : () => {
      const target = this.deps.lifecycleState!(region.account, region.region, id)
      if (target !== undefined) entry.inGroup = true
      // Auto Scaling forgets a member once it is detached, AWS's IMDS keeps saying so; a member that is
      // terminated has no IMDS any more, so a running instance gone from its group was detached.
      return target ?? (entry.inGroup === true ? 'Detached' : undefined)
    }
    lifecycleState?.()
    startImds({
      clock: this.deps.clock,
      tokens: () => current().metadataOptions?.httpTokens ?? 'required',
      enabled: () => current().metadataOptions?.httpEndpoint !== 'disabled',
      resolve: (path) => metadataAt(region, current(), path, {
        now: () => this.deps.clock.now(),
        credentials: () => this.credentials(region, current(), entry),
        lifecycleState,
      }),
    }).then((imds) => {
      if (entry.closed) return imds.close()
      entry.imds = imds
      this.deps.log(`[nimbus] ec2: ${id} is process-backed; its metadata service is ${imds.endpoint}`)
      const live = current()
      if (live.userDataRan === true || live.userData === undefined) return
      live.userDataRan = true
      region.save(live)
      entry.userData = this.run(region, live, imds.endpoint)
    }).catch((error: unknown) => this.deps.log(`[nimbus] ec2: ${id}'s metadata service could not start: ${String(error)}`))
  }

  private run(region: RegionState, instance: InstanceRecord, imdsEndpoint: string): RunningUserData {
    const id = instance.id
    const lines: string[] = []
    this.output.set(id, lines)
    return runUserData({
      instanceId: id, script: Buffer.from(instance.userData!, 'base64').toString('utf8'), workDir: this.deps.workDir,
      env: {
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `${imdsEndpoint}/`, AWS_ENDPOINT_URL: this.deps.endpoint(),
        AWS_REGION: region.region, AWS_DEFAULT_REGION: region.region,
      },
      onLine: (line) => {
        lines.push(line)
        if (lines.length > 1000) lines.shift()
        this.deps.log(`[ec2 ${id}] ${line}`)
      },
      onExit: (how) => this.deps.log(`[nimbus] ec2: ${id}'s user data ended (${how})`),
    })
  }

  /** The role's temporary credentials, renewed an hour before they end (6 h on the clock), as IMDS does. */
  private credentials(region: RegionState, instance: InstanceRecord, entry: Hosted): string | undefined {
    const now = this.deps.clock.now()
    // The role of the profile associated now: a replaced or removed profile's credentials are not served again.
    const role = liveProfile(region, instance, now)?.roleName
    if (role === undefined) return undefined
    if (entry.credentials !== undefined && entry.credentials.role === role && entry.credentials.expiresAt - now > 3_600_000) return entry.credentials.json
    if (entry.credentials !== undefined) this.deps.accessKeys?.delete(entry.credentials.keyId)
    const keyId = newAccessKeyId('ASIA', region.account)
    const secret = randomBytes(30).toString('base64')
    const token = randomBytes(96).toString('base64')
    // SDKs compare Expiration with the wall clock: it lies 6 h past the later of the two clocks.
    const expiresAt = now + 6 * 3_600_000
    const expiration = Math.max(now, Date.now()) + 6 * 3_600_000
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const json = JSON.stringify({
      Code: 'Success', LastUpdated: iso(now), Type: 'AWS-HMAC', AccessKeyId: keyId, SecretAccessKey: secret, Token: token,
      Expiration: iso(expiration),
    }, null, 2)
    this.deps.accessKeys?.set(keyId, {
      account: region.account, arn: `arn:aws:sts::${region.account}:assumed-role/${role}/${instance.id}`,
      userId: `${newAccessKeyId('AROA', region.account)}:${instance.id}`, expiresAt, secretAccessKey: secret, sessionToken: token,
    })
    entry.credentials = { keyId, json, expiresAt, role }
    return json
  }

  private halt(id: string): void {
    this.bootTimers.get(id)?.cancel()
    this.bootTimers.delete(id)
    const entry = this.hosted.get(id)
    if (entry === undefined) return
    this.hosted.delete(id)
    entry.closed = true
    entry.userData?.kill()
    entry.imds?.close()
    if (entry.credentials !== undefined) this.deps.accessKeys?.delete(entry.credentials.keyId)
  }
}
