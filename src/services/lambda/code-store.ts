// Deployment packages on disk: each distinct zip is extracted once into a folder named by its
// SHA-256, which function versions and layers then share. In memory it lives in Nimbus's temporary
// work directory; with a data dir under `<data-dir>/lambda/`, where the zips are kept too
// (`packages/<sha256>.zip`) so a lost or damaged extraction can be made again at start.
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { lambdaErrors } from './errors.ts'
import { limits } from './limits.ts'
import { entryKind, PackageLayout, readZip, ZipError } from './zip.ts'

export interface StoredCode {
  /** Folder holding the extracted files. */
  dir: string
  /** Base64 SHA-256 of the zip, as Lambda reports CodeSha256. */
  sha256: string
  /** Zip size in bytes (CodeSize). */
  size: number
}

export class CodeStore {
  private readonly root: string
  /** Durable stores keep each zip here, named by its hex SHA-256; undefined in memory. */
  private readonly packages: string | undefined

  constructor(root: string, packages?: string) {
    this.root = root
    this.packages = packages
  }

  get durable(): boolean {
    return this.packages !== undefined
  }

  /** The name rows reference a package by (its hex SHA-256): no absolute path is stored, so a data dir can move. */
  static hashOf(code: Pick<StoredCode, 'dir'>): string {
    return basename(code.dir)
  }

  /** The extracted folder of a stored package, from its hash. */
  dirOf(hash: string): string {
    return join(this.root, hash)
  }

  /** Extracts a zip (or reuses an identical one already extracted). Bad zips are AWS's InvalidParameterValueException. */
  put(zip: Uint8Array): StoredCode {
    const bytes = Buffer.from(zip)
    if (bytes.length === 0) throw lambdaErrors.invalidParameter('Uploaded file must be a non-empty zip')
    const digest = createHash('sha256').update(bytes)
    const sha256 = digest.copy().digest('base64')
    const hex = digest.digest('hex')
    const dir = join(this.root, hex)
    // The zip is on disk before its extraction and both before the row naming them is written.
    if (this.packages !== undefined) this.keepPackage(bytes, hex)
    if (!existsSync(dir)) this.extract(bytes, dir)
    return { dir, sha256, size: bytes.length }
  }

  private keepPackage(zip: Buffer, hex: string): void {
    const file = join(this.packages!, `${hex}.zip`)
    if (existsSync(file)) return
    mkdirSync(this.packages!, { recursive: true })
    const staging = `${file}.tmp-${process.pid}`
    writeFileSync(staging, zip)
    renameSync(staging, file)
  }

  /**
   * At start on a data dir: every package a row references is extracted (again, if its folder is
   * gone), and what no row references goes — a package written just before a crash whose row never
   * committed, a deleted function's code, a staging folder an extraction left behind. Only Nimbus's
   * own folders under the data dir are touched.
   */
  restore(referenced: ReadonlySet<string>, log: (line: string) => void): void {
    if (this.packages === undefined) return
    mkdirSync(this.root, { recursive: true })
    mkdirSync(this.packages, { recursive: true })
    for (const name of readdirSync(this.root)) {
      if (!referenced.has(name)) rmSync(join(this.root, name), { recursive: true, force: true })
    }
    for (const name of readdirSync(this.packages)) {
      if (!referenced.has(name.replace(/\.zip$/, ''))) rmSync(join(this.packages, name), { force: true })
    }
    for (const hex of referenced) {
      const dir = join(this.root, hex)
      if (existsSync(dir)) continue
      const file = join(this.packages, `${hex}.zip`)
      if (existsSync(file)) this.extract(readFileSync(file), dir)
      else log(`[nimbus] lambda: the stored package ${hex} is missing from ${this.packages}; functions using it cannot run`)
    }
  }

  private extract(zip: Buffer, dir: string): void {
    const staging = `${dir}.tmp-${process.pid}-${Date.now()}`
    try {
      mkdirSync(staging, { recursive: true })
      const layout = new PackageLayout()
      let total = 0
      for (const entry of readZip(zip)) {
        const target = resolve(staging, entry.path)
        // readZip already refuses "..", absolute paths and drive letters; this is the belt to those braces.
        if (target !== staging && !target.startsWith(staging + sep)) throw new ZipError(`unsafe path ${entry.path}`)
        const kind = entryKind(entry)
        // Throws on a path that passes through a file or symlink, or one that changes kind: extraction
        // never writes through a link, so a link pointing anywhere can't carry a write outside the package.
        layout.claim(entry.path, kind)
        if (kind === 'directory') {
          mkdirSync(target, { recursive: true })
          continue
        }
        // Checked before inflating: a small, highly compressed upload must not balloon in memory.
        total += entry.size
        if (total > limits.unzippedBytes) {
          throw lambdaErrors.invalidParameter(`Unzipped size must be smaller than ${limits.unzippedBytes} bytes`)
        }
        const data = entry.data()
        mkdirSync(dirname(target), { recursive: true })
        if (kind === 'symlink') {
          // Kept as a link, as Lambda does; where it points is the function's business when it reads.
          symlinkSync(data.toString('utf8'), target)
          continue
        }
        writeFileSync(target, data)
        if (entry.mode !== undefined) chmodSync(target, entry.mode & 0o777)
      }
      renameSync(staging, dir)
    } catch (error) {
      rmSync(staging, { recursive: true, force: true })
      if (error instanceof ZipError) {
        throw lambdaErrors.invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.')
      }
      throw error
    }
  }

  /** Removes every extracted package (Nimbus without a data dir stopping). */
  clear(): void {
    rmSync(this.root, { recursive: true, force: true })
    if (this.packages !== undefined) rmSync(this.packages, { recursive: true, force: true })
  }
}
