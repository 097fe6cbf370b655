// Lays out an event's path for drawing: each node in a column by its distance from where the event
// began (a node with no way in), nodes of a column stacked; edges between the same two nodes (the
// attempts of one delivery) drawn as one arrow that lists them. Retries still pending get their own.
import type { PathAnswer, PathEdge, PathNode } from './api.ts'
import { shortArn } from './format.ts'

export const NODE_W = 180
export const NODE_H = 48
const COL_GAP = 150
const ROW_GAP = 28

export interface PlacedNode extends PathNode { x: number; y: number }
export interface PlacedEdge { from: PlacedNode; to: PlacedNode; edges: PathEdge[]; pendingAt?: number; pendingAttempt?: number }
export interface Layout { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number }

export function layout(path: PathAnswer): Layout {
  const nodes = new Map<string, PathNode>(path.nodes.map((n) => [n.key, n]))
  for (const p of path.pending) if (!nodes.has(p.target)) nodes.set(p.target, { key: p.target, label: shortArn(p.target), service: p.target.split(':')[2] ?? '' })
  const into = new Map<string, string[]>()
  for (const e of path.edges) into.set(e.to, [...(into.get(e.to) ?? []), e.from])
  // Depth: the longest way in from a start, so a chain reads left to right; a cycle stops at the node count.
  const depth = new Map<string, number>()
  const depthOf = (key: string, seen: Set<string>): number => {
    const known = depth.get(key)
    if (known !== undefined) return known
    if (seen.has(key)) return 0
    seen.add(key)
    const parents = (into.get(key) ?? []).filter((p) => p !== key)
    const d = parents.length === 0 ? 0 : Math.max(...parents.map((p) => depthOf(p, seen) + 1))
    depth.set(key, d)
    return d
  }
  // A retry comes from where the earlier attempts came from; a first attempt from the path's last stop.
  const pendingFrom = (target: string): string | undefined =>
    path.edges.findLast((e) => e.to === target)?.from ?? path.edges.at(-1)?.to ?? path.nodes[0]?.key
  for (const p of path.pending) {
    const from = pendingFrom(p.target)
    if (from !== undefined && from !== p.target && !into.has(p.target)) into.set(p.target, [from])
  }
  for (const key of nodes.keys()) depthOf(key, new Set())
  const columns: string[][] = []
  for (const [key, d] of depth) (columns[d] ??= []).push(key)
  const placed = new Map<string, PlacedNode>()
  columns.forEach((col, c) => col.forEach((key, r) => {
    placed.set(key, { ...nodes.get(key)!, x: 10 + c * (NODE_W + COL_GAP), y: 10 + r * (NODE_H + ROW_GAP) })
  }))
  const grouped = new Map<string, PlacedEdge>()
  for (const e of path.edges) {
    const id = `${e.from}\n${e.to}`
    const group = grouped.get(id) ?? { from: placed.get(e.from)!, to: placed.get(e.to)!, edges: [] }
    group.edges.push(e)
    grouped.set(id, group)
  }
  const edges = [...grouped.values()].filter((g) => g.from !== undefined && g.to !== undefined)
  for (const p of path.pending) {
    const from = pendingFrom(p.target)
    const a = from === undefined ? undefined : placed.get(from)
    const b = placed.get(p.target)
    if (a !== undefined && b !== undefined && a !== b) edges.push({ from: a, to: b, edges: [], pendingAt: p.at, pendingAttempt: p.attempt })
  }
  const rows = Math.max(1, ...columns.map((c) => c.length))
  return { nodes: [...placed.values()], edges, width: 20 + columns.length * (NODE_W + COL_GAP) - COL_GAP, height: 50 + rows * (NODE_H + ROW_GAP) - ROW_GAP }
}
