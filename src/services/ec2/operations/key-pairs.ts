// Key pairs: CreateKeyPair (real RSA/ED25519 material), ImportKeyPair (OpenSSH or PEM public keys),
// DescribeKeyPairs (names, ids, filters) and DeleteKeyPair; the names RunInstances' KeyName must match.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, type FilterTable } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { createMaterial, importMaterial } from '../key-material.ts'
import type { KeyPairRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, checkId, regionOf, specTags, tagsOut } from './common.ts'

export const keyPairNamed = (region: RegionState, name: string): KeyPairRecord | undefined =>
  [...region.keyPairs.values()].find((k) => k.name === name)

function checkName(region: RegionState, name: string | undefined): string {
  if (name === undefined || name === '') throw ec2Errors.missingParameter('KeyName')
  // AWS: up to 255 ASCII characters [R].
  if (name.length > 255 || !/^[\x20-\x7e]+$/.test(name)) throw ec2Errors.invalidParameterValue(`Value (${name}) for parameter keyName is invalid. Length exceeds maximum of 255.`)
  if (keyPairNamed(region, name) !== undefined) throw ec2Errors.keyPairDuplicate(name)
  return name
}

const filters: FilterTable<KeyPairRecord> = {
  'key-pair-id': (k) => [k.id], 'key-name': (k) => [k.name], fingerprint: (k) => [k.fingerprint], 'key-type': (k) => [k.keyType],
}

export function keyPairOperations(state: Ec2State): OperationTable<Ec2Operations> {
  const save = (region: RegionState, record: KeyPairRecord, specs: Parameters<typeof specTags>[0]) => {
    applyTags(record, specTags(specs, 'key-pair'))
    region.save(record)
  }
  return {
    CreateKeyPair: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const name = checkName(region, input.KeyName)
      const keyType = input.KeyType ?? 'rsa'
      if (keyType !== 'rsa' && keyType !== 'ed25519') throw ec2Errors.invalidParameterValue(`Value (${String(keyType as string)}) for parameter keyType is invalid.`)
      const material = createMaterial(keyType)
      const record: KeyPairRecord = {
        kind: 'key', id: newId('key'), name, keyType, fingerprint: material.fingerprint, publicKey: material.publicKey, createTime: region.now, tags: [],
      }
      save(region, record, input.TagSpecifications)
      return { KeyName: name, KeyPairId: record.id, KeyFingerprint: record.fingerprint, KeyMaterial: material.privatePem, Tags: tagsOut(record.tags) }
    },

    ImportKeyPair: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const name = checkName(region, input.KeyName)
      if (input.PublicKeyMaterial === undefined) throw ec2Errors.missingParameter('PublicKeyMaterial')
      const material = importMaterial(Buffer.from(input.PublicKeyMaterial))
      if (material === undefined) throw ec2Errors.invalidKeyFormat()
      const record: KeyPairRecord = { kind: 'key', id: newId('key'), name, ...material, createTime: region.now, tags: [] }
      save(region, record, input.TagSpecifications)
      return { KeyName: name, KeyPairId: record.id, KeyFingerprint: record.fingerprint, Tags: tagsOut(record.tags) }
    },

    DescribeKeyPairs: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      let all = [...region.keyPairs.values()]
      if (input.KeyNames !== undefined && input.KeyNames.length > 0) {
        all = input.KeyNames.map((name) => {
          const key = keyPairNamed(region, name)
          if (key === undefined) throw ec2Errors.keyPairNotFound(name)
          return key
        })
      }
      if (input.KeyPairIds !== undefined && input.KeyPairIds.length > 0) {
        all = input.KeyPairIds.map((id) => {
          checkId(id, 'key', 'InvalidKeyPair.Malformed')
          const key = region.keyPairs.get(id)
          if (key === undefined) throw ec2Errors.keyPairIdNotFound(id)
          return key
        })
      }
      const match = compileFilters(input.Filters, filters)
      return {
        KeyPairs: all.filter(match).map((k) => ({
          KeyPairId: k.id, KeyName: k.name, KeyFingerprint: k.fingerprint, KeyType: k.keyType, Tags: tagsOut(k.tags),
          PublicKey: input.IncludePublicKey === true ? k.publicKey : undefined, CreateTime: new Date(k.createTime),
        })),
      }
    },

    // AWS answers success for a name it doesn't hold (DeleteKeyPair is idempotent).
    DeleteKeyPair: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      let key: KeyPairRecord | undefined
      if (input.KeyPairId !== undefined) {
        checkId(input.KeyPairId, 'key', 'InvalidKeyPair.Malformed')
        key = region.keyPairs.get(input.KeyPairId)
      } else if (input.KeyName !== undefined) {
        key = keyPairNamed(region, input.KeyName)
      } else {
        throw ec2Errors.missingParameter('KeyName')
      }
      if (key !== undefined) region.remove(key)
      return { Return: true, KeyPairId: key?.id }
    },
  }
}
