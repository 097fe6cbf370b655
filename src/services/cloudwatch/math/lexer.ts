// Tokens of CloudWatch's metric math language ("SUM(METRICS()) / PERIOD(m1)", "IF(m1 > 10 AND m2 < 5, 1, 0)").

export type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'ident'; value: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; at: number }

export class MathSyntaxError extends Error {}

const ops = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '^', '(', ')', '[', ']', ',']

export function tokenize(text: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++
      continue
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))
    if (number !== null) {
      out.push({ kind: 'number', value: Number(number[0]), at: i })
      i += number[0].length
      continue
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))
    if (ident !== null) {
      out.push({ kind: 'ident', value: ident[0], at: i })
      i += ident[0].length
      continue
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1)
      if (end < 0) throw new MathSyntaxError(`Unterminated string at position ${i}`)
      out.push({ kind: 'string', value: text.slice(i + 1, end), at: i })
      i = end + 1
      continue
    }
    const op = ops.find((o) => text.startsWith(o, i))
    if (op === undefined) throw new MathSyntaxError(`Unrecognized character '${c}' at position ${i}`)
    out.push({ kind: 'op', value: op, at: i })
    i += op.length
  }
  out.push({ kind: 'end', at: text.length })
  return out
}
