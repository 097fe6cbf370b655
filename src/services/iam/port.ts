// The narrow port other services use to reach IAM (STS: the role a session assumes). Types only.

/** A role as STS needs it to issue a session. */
export interface IamRoleInfo {
  account: string
  name: string
  arn: string
  /** AROA…: a session's AssumedRoleId is `<roleId>:<session name>`. */
  roleId: string
  /** Seconds: AssumeRole's DurationSeconds may not exceed it (3600 unless the role says otherwise). */
  maxSessionDuration: number
  /** The trust policy, as stored (JSON text). */
  assumeRolePolicyDocument: string
}

export interface IamPort extends IamPortPolicies {
  /** The role an ARN names (`arn:aws:iam::<account>:role/<path><name>`), if it exists. */
  role(arn: string): IamRoleInfo | undefined
  /** An instance profile by name or ARN in an account (EC2's IamInstanceProfile), with its role's name if it has one. */
  instanceProfile(account: string, nameOrArn: string): { arn: string; id: string; roleName: string | undefined } | undefined
}

export interface IamPortPolicies {
  /**
   * The identity-based policy documents (JSON text) that apply to a principal: for a user its inline
   * and attached policies and its groups'; for a role or an assumed-role session the role's. Undefined
   * for a principal IAM doesn't know (the account root: never limited by policy).
   */
  identityPolicies(principalArn: string): { policies: string[]; boundary?: string } | undefined
}
