// Deployment packages on disk: each distinct zip is extracted once into a folder named by its
// SHA-256, which function versions and layers then share. Lives under Nimbus's work directory.
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
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

  constructor(root: string) {
    this.root = root
  }

  /** Extracts a zip (or reuses an identical one already extracted). Bad zips are AWS's InvalidParameterValueException. */
  put(zip: Uint8Array): StoredCode {
    const bytes = Buffer.from(zip)
    if (bytes.length === 0) throw lambdaErrors.invalidParameter('Uploaded file must be a non-empty zip')
    const digest = createHash('sha256').update(bytes)
    const sha256 = digest.copy().digest('base64')
    const dir = join(this.root, digest.digest('hex'))
    if (!existsSync(dir)) this.extract(bytes, dir)
    return { dir, sha256, size: bytes.length }
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

  /** Removes every extracted package (Nimbus stopping or reset). */
  clear(): void {
    rmSync(this.root, { recursive: true, force: true })
  }
}
