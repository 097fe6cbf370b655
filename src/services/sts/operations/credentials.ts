// AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken: temporary credentials on the clock. An
// ASIA… key encodes its account (core/access-keys.ts) and is registered in the access-key directory,
// so requests signed with it act in the role's account.
import { randomBytes } from 'node:crypto'
import { type AccessKeyLookup, type KeyPrincipal, newAccessKeyId, newSecretAccessKey } from '../../../core/access-keys.ts'
import type { Clock } from '../../../core/clock.ts'
import { parsePolicy, type PolicyDocument } from '../../../policy/document.ts'
import { evaluate } from '../../../policy/evaluate.ts'
import type { IamPort, IamRoleInfo } from '../../iam/port.ts'
import type { OperationContext, OperationTable } from '../../service.ts'
import { stsErrors } from '../errors.ts'
import type { Credentials, stsOperations, Tag } from '../generated/types.ts'
import type { Session, Sessions } from '../sessions.ts'
import { callerPrincipal } from './identity.ts'

/** The longest session any role allows (MaxSessionDuration's ceiling), and the shortest any call grants. */
const MAX_ROLE_SESSION = 43_200
const MIN_SESSION = 900
/** An inline session policy plus session tags may take 2,048 packed characters (PackedPolicySize is a percentage of it). */
const PACKED_LIMIT = 2048

export interface CredentialDeps {
  clock: Clock
  sessions: Sessions
  keys: AccessKeyLookup
  iam: IamPort
  /** `--enforce-iam`: AssumeRole must be allowed by the role's trust policy. */
  enforceTrust?: boolean
}

export function credentialOperations(deps: CredentialDeps): OperationTable<stsOperations> {
  return {
    AssumeRole: (input, ctx) => {
      checkSessionName(input.RoleSessionName)
      const role = assumableRole(deps, input.RoleArn, ctx, 'sts:AssumeRole')
      const duration = roleDuration(input.DurationSeconds, role)
      const packed = packedPolicySize(input.Policy, input.Tags)
      const session = issue(deps, role, input.RoleSessionName, duration, 'AssumeRole')
      return {
        Credentials: credentials(session),
        AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
        ...(packed !== undefined && { PackedPolicySize: packed }),
        ...(input.SourceIdentity !== undefined && { SourceIdentity: input.SourceIdentity }),
      }
    },
    AssumeRoleWithWebIdentity: (input, ctx) => {
      checkSessionName(input.RoleSessionName)
      const claims = jwtClaims(input.WebIdentityToken)
      const role = assumableRole(deps, input.RoleArn, ctx, 'sts:AssumeRoleWithWebIdentity')
      const duration = roleDuration(input.DurationSeconds, role)
      const packed = packedPolicySize(input.Policy, undefined)
      const session = issue(deps, role, input.RoleSessionName, duration, 'AssumeRoleWithWebIdentity')
      const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud
      return {
        Credentials: credentials(session),
        AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
        SubjectFromWebIdentityToken: typeof claims.sub === 'string' ? claims.sub : '',
        ...(typeof claims.iss === 'string' && { Provider: claims.iss.replace(/^https:\/\//, '') }),
        ...(typeof audience === 'string' && { Audience: audience }),
        ...(packed !== undefined && { PackedPolicySize: packed }),
      }
    },
    GetSessionToken: (input, ctx) => {
      const requested = input.DurationSeconds
      if (requested !== undefined) checkRange('durationSeconds', requested, MIN_SESSION, 129_600)
      const principal = callerPrincipal(deps.keys, ctx.caller)
      // Root credentials get at most an hour (AWS: "the session for AWS account owners defaults to one hour").
      const isRoot = principal.arn.endsWith(':root')
      const duration = isRoot ? Math.min(requested ?? 3600, 3600) : (requested ?? 43_200)
      const session = newSession(deps, principal.account, principal.arn, principal.userId, duration, 'GetSessionToken')
      deps.sessions.add(session)
      return { Credentials: credentials(session) }
    },
    DecodeAuthorizationMessage: () => { throw stsErrors.notImplemented('DecodeAuthorizationMessage') },
  }
}

/** The role to assume. A role that doesn't exist is refused as AWS refuses it (AccessDenied, as for a trust policy that doesn't allow the caller). */
function assumableRole(deps: CredentialDeps, roleArn: string, ctx: OperationContext, action: string): IamRoleInfo {
  if (roleArn.length < 20 || roleArn.length > 2048) {
    throw stsErrors.constraint('roleArn', roleArn, roleArn.length < 20
      ? 'Member must have length greater than or equal to 20' : 'Member must have length less than or equal to 2048')
  }
  const role = deps.iam.role(roleArn)
  const caller = callerPrincipal(deps.keys, ctx.caller)
  if (role === undefined) throw stsErrors.notAuthorized(caller.arn, action, roleArn)
  if (deps.enforceTrust === true && action === 'sts:AssumeRole' && !trusts(role, caller)) throw stsErrors.notAuthorized(caller.arn, action, roleArn)
  return role
}

/** The trust policy, evaluated as a resource policy of the role (src/policy/), allows the caller to assume it. */
function trusts(role: IamRoleInfo, caller: KeyPrincipal): boolean {
  let trust: PolicyDocument
  try {
    trust = parsePolicy(role.assumeRolePolicyDocument, 'trust')
  } catch {
    return false
  }
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(caller.arn)
  const principal = { arn: caller.arn, account: caller.account, ...(session !== null && { roleArn: `arn:aws:iam::${session[1]}:role/${session[2]}` }) }
  return evaluate({ principal, action: 'sts:AssumeRole', resource: role.arn, resourceAccount: role.account }, { resource: [trust] }) === 'Allow'
}

function checkSessionName(name: string): void {
  if (name.length < 2) throw stsErrors.constraint('roleSessionName', name, 'Member must have length greater than or equal to 2')
  if (name.length > 64) throw stsErrors.constraint('roleSessionName', name, 'Member must have length less than or equal to 64')
  if (!/^[\w+=,.@-]*$/.test(name)) throw stsErrors.constraint('roleSessionName', name, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*')
}

function checkRange(member: string, value: number, min: number, max: number): void {
  if (value < min) throw stsErrors.constraint(member, value, `Member must have value greater than or equal to ${min}`)
  if (value > max) throw stsErrors.constraint(member, value, `Member must have value less than or equal to ${max}`)
}

/** 900 s up to the role's MaxSessionDuration; one hour when not asked. */
function roleDuration(requested: number | undefined, role: IamRoleInfo): number {
  if (requested === undefined) return 3600
  checkRange('durationSeconds', requested, MIN_SESSION, MAX_ROLE_SESSION)
  if (requested > role.maxSessionDuration) throw stsErrors.exceedsMaxSessionDuration()
  return requested
}

/** A session policy must be a JSON object; its size and the tags' are reported as a percentage of AWS's packed limit. */
function packedPolicySize(policy: string | undefined, tags: Tag[] | undefined): number | undefined {
  if (policy === undefined && (tags === undefined || tags.length === 0)) return undefined
  let size = 0
  if (policy !== undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(policy)
    } catch {
      throw stsErrors.malformedPolicy('Syntax errors in policy.')
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw stsErrors.malformedPolicy('Syntax errors in policy.')
    // AWS packs the policy in a compressed binary form: whitespace doesn't count.
    size += JSON.stringify(parsed).length
  }
  for (const tag of tags ?? []) size += tag.Key.length + tag.Value.length
  const percent = Math.ceil((size * 100) / (PACKED_LIMIT * 2))
  if (percent > 100) throw stsErrors.packedPolicyTooLarge()
  return percent
}

/**
 * A web identity token must be a JWT (three base64url parts, the middle one a JSON object); Nimbus
 * does not verify its signature or issuer (no OIDC provider is fetched).
 */
function jwtClaims(token: string): Record<string, unknown> {
  const parts = token.split('.')
  const invalid = () => stsErrors.invalidIdentityToken('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)')
  if (parts.length !== 3 || parts.some((part) => !/^[\w-]*$/.test(part))) throw invalid()
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'))
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw invalid()
    return claims as Record<string, unknown>
  } catch {
    throw invalid()
  }
}

function issue(deps: CredentialDeps, role: IamRoleInfo, sessionName: string, duration: number, source: string): Session {
  const arn = `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`
  const session = newSession(deps, role.account, arn, `${role.roleId}:${sessionName}`, duration, source)
  deps.sessions.add(session)
  return session
}

function newSession(deps: CredentialDeps, account: string, arn: string, userId: string, seconds: number, source: string): Session {
  return {
    accessKeyId: newAccessKeyId('ASIA', account), secretAccessKey: newSecretAccessKey(),
    // AWS's tokens are long opaque base64 strings; clients only pass them back.
    sessionToken: `FwoGZXIvYXdzE${randomBytes(240).toString('base64')}`,
    // AWS's Expiration is whole seconds.
    account, arn, userId, expiresAt: Math.floor(deps.clock.now() / 1000) * 1000 + seconds * 1000, source,
  }
}

function credentials(session: Session): Credentials {
  return {
    AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, SessionToken: session.sessionToken,
    Expiration: new Date(session.expiresAt),
  }
}
