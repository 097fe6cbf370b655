// CreateRoutingRule, GetRoutingRule, ListRoutingRules, PutRoutingRule, DeleteRoutingRule: a custom domain's routing
// rules (on a domain created through either API), kept on the domain itself so they last and go with it. AWS's
// rules: up to two header conditions and one base path condition, one InvokeApi action naming a REST API's stage
// (no HTTP or WebSocket API), priorities 1–1,000,000 unique on the domain, 50 rules per domain.
import type { OperationContext } from '../../service.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import { page } from '../operations/pages.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../store.ts'
import type { DomainPeer, SharedDomain } from '../../api-gateway-domains.ts'
import type { RoutingRuleData, RuleCondition } from '../../api-gateway-routing-rules.ts'
import { domainNotFound } from './operations.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** AWS's default quota of routing rules per domain name. */
const maxRules = 50
/** AWS's header name alphabet (a token, under 40 characters). A value glob is under 128 characters of visible text. */
const headerName = /^[a-zA-Z0-9*?\-!#$%&'.^_`|~]{1,40}$/
const valueGlob = /^[\x20-\x7e]{1,128}$/
const basePathPattern = /^[\w.$+!*'()-]+(\/[\w.$+!*'()-]+)*$/

const bad = (message: string) => apiGatewayV2Errors.badRequest(message)
const ruleNotFound = (id: string) => apiGatewayV2Errors.notFound(`Invalid routing rule identifier specified ${id}`)

/** [R] A glob takes a wildcard only as `*suffix`, `prefix*` or `*infix*`. */
function checkGlob(glob: string): void {
  const inner = glob.slice(glob.startsWith('*') ? 1 : 0, glob.length > 1 && glob.endsWith('*') ? -1 : undefined)
  if (!valueGlob.test(glob) || inner.includes('*')) throw bad(`Invalid header value glob specified: ${glob}`)
}

function conditionsOf(input: T.RoutingRuleCondition[] | undefined): RuleCondition[] {
  if (input === undefined) throw apiGatewayV2Errors.missingParameter('Conditions')
  let headers = 0
  let paths = 0
  return input.map((c) => {
    if ((c.MatchHeaders === undefined) === (c.MatchBasePaths === undefined)) throw bad('A condition must have exactly one of MatchHeaders or MatchBasePaths')
    if (c.MatchHeaders !== undefined) {
      if (++headers > 2) throw bad('A routing rule can have at most 2 MatchHeaders conditions')
      const anyOf = c.MatchHeaders.AnyOf ?? []
      if (anyOf.length === 0) throw apiGatewayV2Errors.missingParameter('AnyOf')
      return {
        headers: anyOf.map((h) => {
          if (h.Header === undefined || !headerName.test(h.Header)) throw bad(`Invalid header name specified: ${String(h.Header)}`)
          if (h.ValueGlob === undefined) throw apiGatewayV2Errors.missingParameter('ValueGlob')
          checkGlob(h.ValueGlob)
          return { header: h.Header, valueGlob: h.ValueGlob }
        }),
      }
    }
    if (++paths > 1) throw bad('A routing rule can have at most 1 MatchBasePaths condition')
    const anyOf = c.MatchBasePaths!.AnyOf ?? []
    if (anyOf.length === 0) throw apiGatewayV2Errors.missingParameter('AnyOf')
    return {
      basePaths: anyOf.map((p) => {
        const path = p.replace(/^\/+|\/+$/g, '')
        if (!basePathPattern.test(path)) throw bad(`Invalid base path specified: ${p}`)
        return path
      }),
    }
  })
}

/** A private domain's rules name it by `{name}+{id}`, as its ARN does [R]. */
const view = (rule: RoutingRuleData, domain: SharedDomain): T.RoutingRule => ({
  RoutingRuleId: rule.id, Priority: rule.priority,
  RoutingRuleArn: `arn:aws:apigateway:${domain.region}:${domain.account}:/domainnames/${domain.domainName}${
    domain.domainNameId === undefined ? '' : `+${domain.domainNameId}`}/routingrules/${rule.id}`,
  Conditions: rule.conditions.map((c) => c.basePaths !== undefined ? { MatchBasePaths: { AnyOf: [...c.basePaths] } }
    : { MatchHeaders: { AnyOf: c.headers!.map((h) => ({ Header: h.header, ValueGlob: h.valueGlob })) } }),
  Actions: [{ InvokeApi: { ApiId: rule.action.apiId, Stage: rule.action.stage, StripBasePath: rule.action.stripBasePath } }],
})

/**
 * `local`: this service's domains; `rest`: apigateway's (one set of domain names); `restStage`: whether the caller's
 * REST API has the stage (undefined: no such REST API); `isHttpApi`: an id of the caller's HTTP or WebSocket API;
 * `privateRestApi`: whether a REST API's endpoint type is PRIVATE.
 */
export function routingRuleOperations(local: DomainPeer, rest: () => DomainPeer | undefined,
  restStage: (account: string, region: string, apiId: string, stage: string) => boolean | undefined, isHttpApi: (apiId: string) => boolean,
  privateRestApi: (apiId: string) => boolean = () => false) {
  /** The domain by name, or a private one (REST's: their own namespace) by name and `DomainNameId`. */
  const domainOf = (ctx: OperationContext, name: string, id: string | undefined): { domain: SharedDomain; peer: DomainPeer } => {
    const mine = id === undefined ? local.get(ctx.caller.account, ctx.caller.region, name) : undefined
    if (mine !== undefined) return { domain: mine, peer: local }
    const peer = rest()
    const other = peer?.get(ctx.caller.account, ctx.caller.region, name, id)
    if (other === undefined || peer === undefined) throw domainNotFound(name)
    return { domain: other, peer }
  }
  const save = (ctx: OperationContext, found: { domain: SharedDomain; peer: DomainPeer }, rules: RoutingRuleData[]) => {
    rules.sort((a, b) => a.priority - b.priority)
    found.peer.update(ctx.caller.account, ctx.caller.region, found.domain.domainName, { routingRules: rules }, found.domain.domainNameId)
  }

  /** The rule as given, checked as AWS checks it; `id` the rule it replaces (PutRoutingRule). */
  const ruleOf = (ctx: OperationContext, domain: SharedDomain, input: T.CreateRoutingRuleRequest, id: string): RoutingRuleData => {
    const priority = input.Priority
    if (priority === undefined) throw apiGatewayV2Errors.missingParameter('Priority')
    if (!Number.isInteger(priority) || priority < 1 || priority > 1_000_000) throw bad(`Invalid priority specified: ${priority}. Priority must be between 1 and 1000000`)
    if (domain.routingRules.some((r) => r.priority === priority && r.id !== id)) {
      throw apiGatewayV2Errors.conflict(`A routing rule with priority ${priority} already exists for domain name ${domain.domainName}`)
    }
    const conditions = conditionsOf(input.Conditions)
    if (input.Actions === undefined) throw apiGatewayV2Errors.missingParameter('Actions')
    if (input.Actions.length !== 1) throw bad('A routing rule must have exactly one action')
    const invoke = input.Actions[0]!.InvokeApi
    if (invoke?.ApiId === undefined || invoke.Stage === undefined) throw apiGatewayV2Errors.missingParameter(invoke?.ApiId === undefined ? 'ApiId' : 'Stage')
    // Routing rules target REST APIs only, as on AWS.
    const stage = restStage(ctx.caller.account, ctx.caller.region, invoke.ApiId, invoke.Stage)
    if (stage === undefined && isHttpApi(invoke.ApiId)) throw bad('Routing rules can only target REST APIs')
    if (stage === undefined) throw apiGatewayV2Errors.notFound(`Invalid API identifier specified ${invoke.ApiId}`)
    if (!stage) throw bad(`Invalid stage identifier specified ${invoke.Stage}`)
    // AWS's routing rule considerations: a public domain's rules target regional or edge-optimized APIs, a private domain's
    // private ones [R: the wording].
    const privateDomain = domain.domainNameId !== undefined
    if (privateRestApi(invoke.ApiId) !== privateDomain) {
      throw bad(privateDomain ? `A routing rule of private domain name ${domain.domainName} can only target a private API: ${invoke.ApiId} is not private`
        : `A routing rule of public domain name ${domain.domainName} cannot target private API ${invoke.ApiId}`)
    }
    return { id, priority, conditions, action: { apiId: invoke.ApiId, stage: invoke.Stage, stripBasePath: invoke.StripBasePath ?? false } }
  }

  /** [R] A domain mapping both REST and HTTP APIs takes no routing rules. */
  const checkMixed = (domain: SharedDomain) => {
    if (domain.mappings.some((m) => isHttpApi(m.apiId)) && domain.mappings.some((m) => !isHttpApi(m.apiId))) {
      throw bad(`Routing rules are not supported for domain name ${domain.domainName}: it has API mappings to both REST and HTTP APIs`)
    }
  }

  const ruleIn = (domain: SharedDomain, id: string): RoutingRuleData => {
    const rule = domain.routingRules.find((r) => r.id === id)
    if (rule === undefined) throw ruleNotFound(id)
    return rule
  }

  const createRoutingRule: Op<T.CreateRoutingRuleRequest, T.CreateRoutingRuleResponse> = (input, ctx) => {
    const found = domainOf(ctx, input.DomainName, input.DomainNameId)
    checkMixed(found.domain)
    if (found.domain.routingRules.length >= maxRules) {
      throw bad(`The number of routing rules for domain name ${found.domain.domainName} would exceed the limit of ${maxRules}`)
    }
    let id = newId(6)
    while (found.domain.routingRules.some((r) => r.id === id)) id = newId(6)
    const rule = ruleOf(ctx, found.domain, input, id)
    save(ctx, found, [...found.domain.routingRules, rule])
    return view(rule, found.domain)
  }

  const getRoutingRule: Op<T.GetRoutingRuleRequest, T.GetRoutingRuleResponse> = (input, ctx) => {
    const { domain } = domainOf(ctx, input.DomainName, input.DomainNameId)
    return view(ruleIn(domain, input.RoutingRuleId), domain)
  }

  const listRoutingRules: Op<T.ListRoutingRulesRequest, T.ListRoutingRulesResponse> = (input, ctx) => {
    const { domain } = domainOf(ctx, input.DomainName, input.DomainNameId)
    const listed = page(domain.routingRules.map((r) => view(r, domain)),
      { MaxResults: input.MaxResults === undefined ? undefined : String(input.MaxResults), NextToken: input.NextToken })
    return { RoutingRules: listed.Items, ...(listed.NextToken !== undefined && { NextToken: listed.NextToken }) }
  }

  const putRoutingRule: Op<T.PutRoutingRuleRequest, T.PutRoutingRuleResponse> = (input, ctx) => {
    const found = domainOf(ctx, input.DomainName, input.DomainNameId)
    ruleIn(found.domain, input.RoutingRuleId)
    const rule = ruleOf(ctx, found.domain, input, input.RoutingRuleId)
    save(ctx, found, found.domain.routingRules.map((r) => r.id === rule.id ? rule : r))
    return view(rule, found.domain)
  }

  const deleteRoutingRule: Op<T.DeleteRoutingRuleRequest, void> = (input, ctx) => {
    const found = domainOf(ctx, input.DomainName, input.DomainNameId)
    ruleIn(found.domain, input.RoutingRuleId)
    save(ctx, found, found.domain.routingRules.filter((r) => r.id !== input.RoutingRuleId))
  }

  return {
    CreateRoutingRule: createRoutingRule, GetRoutingRule: getRoutingRule, ListRoutingRules: listRoutingRules,
    PutRoutingRule: putRoutingRule, DeleteRoutingRule: deleteRoutingRule,
  }
}
