// Detailed monitoring switched on a running instance (MonitorInstances/UnmonitorInstances: pending or
// disabling for a minute of clock) and the console output an instance's boot leaves (GetConsoleOutput).
import { logValues } from './metric-log.ts'
import type { InstanceRecord } from './resources.ts'
import type { RegionState } from './store.ts'

/** How long a switch shows as 'pending' (enabling) or 'disabling' before 'enabled'/'disabled'. */
export const monitorSwitchMs = 60_000

export function monitoringState(i: InstanceRecord, now: number): 'enabled' | 'disabled' | 'pending' | 'disabling' {
  const switching = i.monitoringSince !== undefined && now < i.monitoringSince + monitorSwitchMs
  if (i.monitoring) return switching ? 'pending' : 'enabled'
  return switching ? 'disabling' : 'disabled'
}

/** Switches detailed monitoring; the metric log follows at once (1-minute periods from now while enabled). */
export function setMonitoring(region: RegionState, i: InstanceRecord, enabled: boolean): void {
  if (i.monitoring === enabled) return
  i.monitoring = enabled
  i.monitoringSince = region.now
  logValues(i, region.now)
  region.save(i)
}

const stamp = (seconds: number) => `[${seconds.toFixed(6).padStart(13)}]`

/**
 * A plausible serial console log of the instance's last boot: kernel, systemd, cloud-init — with a
 * line saying what became of its user data (Nimbus simulates the instance: the script is not run).
 */
export function consoleLog(region: RegionState, i: InstanceRecord, ran?: readonly string[]): string {
  const userData = i.userData === undefined ? undefined : Buffer.from(i.userData, 'base64')
  const host = `ip-${i.privateIp.replaceAll('.', '-')}`
  const windows = i.platform === 'windows'
  if (windows) {
    return [
      `${new Date(i.launchTime).toISOString()} Windows sysprep configuration complete.`,
      `${new Date(i.launchTime).toISOString()} Message: Waiting for meta-data accessibility...`,
      `${new Date(i.launchTime).toISOString()} Message: Meta-data is now available.`,
      `${new Date(i.launchTime).toISOString()} AMI Origin Version: 2022.12.14`,
      userData === undefined ? `${new Date(i.launchTime).toISOString()} Message: No user data found.`
        : `${new Date(i.launchTime).toISOString()} Message: User data (${userData.length} bytes) not run: Nimbus simulates this instance.`,
      `${new Date(i.launchTime).toISOString()} Message: Windows is Ready to use`,
      '',
    ].join('\r\n')
  }
  return [
    `${stamp(0)} Linux version 6.1.115-126.197.amzn2023.${i.architecture === 'arm64' ? 'aarch64' : 'x86_64'} (mockbuild@ip-10-0-1-1) (gcc (GCC) 11.4.1) #1 SMP`,
    `${stamp(0)} Command line: BOOT_IMAGE=(hd0,gpt1)/boot/vmlinuz root=UUID=0f0e0d0c console=tty0 console=ttyS0,115200n8 nvme_core.io_timeout=4294967295`,
    `${stamp(0.004)} DMI: Amazon EC2 ${i.type}/, BIOS 1.0 10/16/2017`,
    `${stamp(0.512)} nvme nvme0: 2/0/0 default/read/poll queues`,
    `${stamp(1.208)} EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode.`,
    `${stamp(2.034)} systemd[1]: Set hostname to <${host}>.`,
    `${stamp(4.871)} cloud-init[1521]: Cloud-init v. 22.2.2 running 'init' at ${new Date(i.launchTime).toUTCString()}. Up 4.87 seconds.`,
    `${stamp(5.102)} cloud-init[1521]: ci-info: ++++++++++++++++Net device info++++++++++++++++`,
    `${stamp(5.103)} cloud-init[1521]: ci-info: | ens5 | True | ${i.privateIp} | ${i.macAddress} |`,
    `${stamp(6.440)} cloud-init[1680]: Cloud-init v. 22.2.2 running 'modules:config' at ${new Date(i.launchTime).toUTCString()}. Up 6.44 seconds.`,
    // A process-backed instance ran its user data: its output, as cloud-init's scripts-user shows it.
    ...(ran !== undefined ? ran.map((line) => `${stamp(7.015)} cloud-init[1702]: ${line}`)
      : [userData === undefined ? `${stamp(7.015)} cloud-init[1702]: No user data provided.`
        : `${stamp(7.015)} cloud-init[1702]: Nimbus: user data (${userData.length} bytes) received; not run (simulated instance).`]),
    `${stamp(7.230)} cloud-init[1702]: Cloud-init v. 22.2.2 finished at ${new Date(i.launchTime).toUTCString()}. Datasource DataSourceEc2.  Up 7.23 seconds`,
    '',
    `Amazon Linux 2023`,
    `Kernel 6.1.115 on an ${i.architecture === 'arm64' ? 'aarch64' : 'x86_64'} (-)`,
    '',
    `${host} login: `,
  ].join('\n')
}
