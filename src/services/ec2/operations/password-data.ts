// GetPasswordData: a Windows instance's administrator password, made once at its first request after
// the password is ready (4 minutes of clock after the launch; AWS says "a few minutes"), encrypted with
// the instance's RSA key pair (PKCS#1 v1.5, base64) as AWS does, so `aws ec2 get-password-data
// --priv-launch-key` and the SDKs' users decrypt it with their private key. Empty before then, for
// Linux instances and for instances without an RSA key pair, as AWS answers.
import { constants, publicEncrypt, randomInt } from 'node:crypto'
import type { OperationTable } from '../../service.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { rsaPublicKey } from '../key-material.ts'
import type { InstanceRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { regionOf } from './common.ts'
import { namedInstances } from './instances.ts'
import { keyPairNamed } from './key-pairs.ts'

/** How long after its launch a Windows instance's password is ready. */
export const passwordReadyMs = 4 * 60_000

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789%$@&*'

/** A password as EC2Launch makes one: 32 characters of letters, digits and symbols. */
const newPassword = () => Array.from({ length: 32 }, () => alphabet[randomInt(alphabet.length)]).join('')

function passwordOf(region: RegionState, i: InstanceRecord): string {
  if (i.passwordData !== undefined) return i.passwordData
  if (i.platform !== 'windows' || i.keyName === undefined || region.now < i.launchTime + passwordReadyMs) return ''
  const key = keyPairNamed(region, i.keyName)
  const publicKey = key === undefined ? undefined : rsaPublicKey(key.publicKey)
  if (publicKey === undefined) return ''
  // Encrypted once and kept: every later request answers the same data, as AWS's does.
  i.passwordData = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(newPassword())).toString('base64')
  region.save(i)
  return i.passwordData
}

export function passwordDataOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    GetPasswordData: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const [i] = namedInstances(region, [input.InstanceId])
      return { InstanceId: i!.id, Timestamp: new Date(region.now), PasswordData: passwordOf(region, i!) }
    },
  }
}
