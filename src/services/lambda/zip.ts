// Reads a deployment package (.zip): stored and deflated entries, Unix file modes, no ZIP64.
// Entries are checked so no path can escape the folder it is extracted into.
import { inflateRawSync } from 'node:zlib'

export interface ZipEntry {
  /** Normalised relative path with forward slashes; directories end with '/'. */
  path: string
  directory: boolean
  /** Unix permission bits when the archive recorded them (executables keep their x bit). */
  mode: number | undefined
  /** A symbolic link (Unix type S_IFLNK): its data is the link's target. */
  symlink: boolean
  /** Uncompressed size as the archive declares it (checked against the data when read). */
  size: number
  data(): Buffer
}

export class ZipError extends Error {}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

function findEndOfCentralDirectory(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 65_557)
  for (let i = zip.length - 22; i >= stop; i--) {
    if (zip.readUInt32LE(i) === EOCD) return i
  }
  throw new ZipError('no end of central directory')
}

/** A path inside the archive made safe: relative, no `..`, no drive letters, no NUL. */
export function safeEntryPath(raw: string): string {
  const path = raw.replace(/\\/g, '/')
  if (path.includes('\0') || path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw new ZipError(`unsafe path ${raw}`)
  const parts = path.split('/')
  if (parts.some((p) => p === '..')) throw new ZipError(`unsafe path ${raw}`)
  return parts.filter((p, i) => p !== '.' && (p !== '' || i === parts.length - 1)).join('/')
}

export function readZip(zip: Buffer): ZipEntry[] {
  if (zip.length < 22) throw new ZipError('too short to be a zip')
  const end = findEndOfCentralDirectory(zip)
  const count = zip.readUInt16LE(end + 10)
  let offset = zip.readUInt32LE(end + 16)
  if (offset === 0xffffffff || count === 0xffff) throw new ZipError('ZIP64 archives are not supported')
  const entries: ZipEntry[] = []
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL) throw new ZipError('corrupt central directory')
    const method = zip.readUInt16LE(offset + 10)
    const compressedSize = zip.readUInt32LE(offset + 20)
    const size = zip.readUInt32LE(offset + 24)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const madeBy = zip.readUInt16LE(offset + 4) >> 8
    const external = zip.readUInt32LE(offset + 38)
    const localOffset = zip.readUInt32LE(offset + 42)
    const rawName = zip.toString('utf8', offset + 46, offset + 46 + nameLength)
    offset += 46 + nameLength + extraLength + commentLength
    const path = safeEntryPath(rawName)
    const directory = path.endsWith('/') || path === ''
    const unixBits = madeBy === 3 ? external >>> 16 : 0
    const unixMode = unixBits & 0o7777
    entries.push({
      path, directory, mode: unixMode === 0 ? undefined : unixMode, symlink: !directory && (unixBits & 0o170000) === 0o120000, size,
      data: () => entryData(zip, localOffset, method, compressedSize, size, rawName),
    })
  }
  return entries
}

function entryData(zip: Buffer, offset: number, method: number, compressedSize: number, size: number, name: string): Buffer {
  if (offset + 30 > zip.length || zip.readUInt32LE(offset) !== LOCAL) throw new ZipError(`corrupt local header for ${name}`)
  const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28)
  const raw = zip.subarray(start, start + compressedSize)
  if (raw.length !== compressedSize) throw new ZipError(`truncated entry ${name}`)
  let data: Buffer
  if (method === 0) data = raw
  else if (method === 8) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) })
    } catch {
      throw new ZipError(`corrupt data in ${name}`)
    }
  } else throw new ZipError(`unsupported compression method ${method} for ${name}`)
  if (data.length !== size) throw new ZipError(`size mismatch for ${name}`)
  return data
}

export type EntryKind = 'file' | 'directory' | 'symlink'

export function entryKind(entry: ZipEntry): EntryKind {
  return entry.directory ? 'directory' : entry.symlink ? 'symlink' : 'file'
}

/**
 * What each path of a package is, as entries are extracted. Every entry's parents must be (or
 * become) directories: a path under a file or a symlink (`lnk` then `lnk/x`), or one that changes
 * kind (a file where a directory already is), makes the zip unusable — AWS can't unzip it either.
 */
export class PackageLayout {
  private readonly kinds = new Map<string, EntryKind>()

  claim(path: string, kind: EntryKind): void {
    const parts = path.replace(/\/$/, '').split('/')
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/')
      const existing = this.kinds.get(parent)
      if (existing !== undefined && existing !== 'directory') throw new ZipError(`${path} lies under the ${existing} ${parent}`)
      this.kinds.set(parent, 'directory')
    }
    const name = parts.join('/')
    if (name === '') return
    const existing = this.kinds.get(name)
    // The same file twice is allowed (the later one wins, as unzip does); anything else conflicts.
    if (existing !== undefined && !(existing === kind && kind !== 'symlink')) throw new ZipError(`${path} is already a ${existing}`)
    this.kinds.set(name, kind)
  }
}
