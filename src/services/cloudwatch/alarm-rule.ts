// Composite alarms' AlarmRule language: ALARM(x), OK(x), INSUFFICIENT_DATA(x) (x a name, quoted
// name or alarm ARN), TRUE, FALSE, AND, OR, NOT and parentheses (NOT binds tightest, then AND, then OR).
import type { StateValue } from './alarm.ts'

export type Rule =
  | { type: 'state'; state: StateValue; alarm: string }
  | { type: 'const'; value: boolean }
  | { type: 'not'; operand: Rule }
  | { type: 'and' | 'or'; left: Rule; right: Rule }

export class RuleSyntaxError extends Error {}

/** Splits into words, parentheses and quoted names (either quote). */
function tokens(text: string): string[] {
  const out: string[] = []
  const re = /\s*(?:("([^"]*)"|'([^']*)')|([()])|([^\s()"']+))/y
  let m: RegExpExecArray | null
  let last = 0
  while ((m = re.exec(text)) !== null) {
    if (m[1] !== undefined) out.push(`"${m[2] ?? m[3]}`)
    else out.push(m[4] ?? m[5]!)
    last = re.lastIndex
    if (last >= text.length) break
  }
  if (text.slice(last).trim() !== '') throw new RuleSyntaxError(`Unexpected text at position ${last}`)
  return out
}

export function parseRule(text: string): Rule {
  const list = tokens(text)
  let i = 0
  const peek = () => list[i]?.toUpperCase()
  const or = (): Rule => {
    let left = and()
    while (peek() === 'OR') {
      i++
      left = { type: 'or', left, right: and() }
    }
    return left
  }
  const and = (): Rule => {
    let left = not()
    while (peek() === 'AND') {
      i++
      left = { type: 'and', left, right: not() }
    }
    return left
  }
  const not = (): Rule => {
    if (peek() === 'NOT') {
      i++
      return { type: 'not', operand: not() }
    }
    return primary()
  }
  const primary = (): Rule => {
    const t = list[i++]
    if (t === undefined) throw new RuleSyntaxError('Unexpected end of rule')
    const word = t.toUpperCase()
    if (t === '(') {
      const inner = or()
      if (list[i++] !== ')') throw new RuleSyntaxError('Missing closing parenthesis')
      return inner
    }
    if (word === 'TRUE' || word === 'FALSE') return { type: 'const', value: word === 'TRUE' }
    if (word === 'ALARM' || word === 'OK' || word === 'INSUFFICIENT_DATA') {
      if (list[i++] !== '(') throw new RuleSyntaxError(`Expected '(' after ${word}`)
      const name = list[i++]
      if (name === undefined || name === ')' || name === '(') throw new RuleSyntaxError(`${word}() needs an alarm name`)
      if (list[i++] !== ')') throw new RuleSyntaxError(`Expected ')' after the alarm name`)
      return { type: 'state', state: word as StateValue, alarm: name.startsWith('"') ? name.slice(1) : name }
    }
    throw new RuleSyntaxError(`Unexpected token ${t}`)
  }
  const rule = or()
  if (i < list.length) throw new RuleSyntaxError(`Unexpected token ${list[i]}`)
  return rule
}

/** The alarm names a rule reads (an ARN counts by its name). */
export function ruleAlarms(rule: Rule): string[] {
  switch (rule.type) {
    case 'state': return [nameOf(rule.alarm)]
    case 'const': return []
    case 'not': return ruleAlarms(rule.operand)
    default: return [...ruleAlarms(rule.left), ...ruleAlarms(rule.right)]
  }
}

export function nameOf(alarm: string): string {
  const m = /^arn:aws[\w-]*:cloudwatch:[^:]*:\d*:alarm:(.+)$/.exec(alarm)
  return m === null ? alarm : m[1]!
}

export function evaluateRule(rule: Rule, stateOf: (name: string) => StateValue | undefined): boolean {
  switch (rule.type) {
    case 'state': return stateOf(nameOf(rule.alarm)) === rule.state
    case 'const': return rule.value
    case 'not': return !evaluateRule(rule.operand, stateOf)
    case 'and': return evaluateRule(rule.left, stateOf) && evaluateRule(rule.right, stateOf)
    case 'or': return evaluateRule(rule.left, stateOf) || evaluateRule(rule.right, stateOf)
  }
}
