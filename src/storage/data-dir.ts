// Claims a --data-dir for Nimbus: a marker file says the folder is Nimbus's, so Nimbus never
// writes into (or deletes from) a folder holding someone else's files.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The marker's name and the layout version it records (bumped when the folder's layout changes). */
export const DATA_DIR_MARKER = '.nimbus-data-dir'
export const DATA_DIR_VERSION = 1

/** Why a folder can't be used as a data dir; the CLI prints the message and exits non-zero. */
export class DataDirError extends Error {}

/**
 * Makes `dir` Nimbus's: a missing or empty folder is created and marked; a marked one is reused;
 * a non-empty folder without the marker (a user's own files) is refused, as is a newer layout.
 */
export function claimDataDir(dir: string): void {
  const marker = join(dir, DATA_DIR_MARKER)
  if (existsSync(marker)) {
    const version = readMarkerVersion(marker)
    if (version === undefined || version > DATA_DIR_VERSION) {
      throw new DataDirError(`data dir ${dir} was written by a newer or unknown Nimbus (${DATA_DIR_MARKER} has version ${version ?? '?'}); use another folder`)
    }
    checkWritable(dir)
    return
  }
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new DataDirError(`--data-dir ${dir} is a file, not a folder`)
  }
  let entries: string[]
  try {
    mkdirSync(dir, { recursive: true })
    entries = readdirSync(dir)
  } catch (error) {
    // ENOTDIR, EACCES, EROFS…: one line for the CLI to print, not a stack trace.
    const { code, message } = error as { code?: string; message?: string }
    throw new DataDirError(`--data-dir ${dir} can't be used: ${code ?? message ?? String(error)}`)
  }
  if (entries.length > 0) {
    throw new DataDirError(`data dir ${dir} is not empty and is not Nimbus's (no ${DATA_DIR_MARKER} in it): ` +
      'Nimbus only uses a new or empty folder, so it never touches files it did not create')
  }
  try {
    writeFileSync(marker, JSON.stringify({ nimbus: true, version: DATA_DIR_VERSION }) + '\n', { flag: 'wx' })
  } catch (error) {
    throw unwritable(dir, error)
  }
}

/**
 * A data dir Nimbus used before but can't write now (a read-only mount, lost permissions) is
 * refused at start with the reason, rather than every request failing with 503 later.
 */
function checkWritable(dir: string): void {
  try {
    accessSync(dir, constants.W_OK)
  } catch (error) {
    throw unwritable(dir, error)
  }
}

function unwritable(dir: string, error: unknown): DataDirError {
  const code = (error as { code?: string }).code
  const why = code === 'EROFS' ? 'is on a read-only file system' : code === 'ENOSPC' ? 'is on a full disk'
    : code === 'EACCES' || code === 'EPERM' ? 'is not writable by this user' : `can't be written (${code ?? String(error)})`
  return new DataDirError(`--data-dir ${dir} ${why}: Nimbus writes its store there. Make it writable or use another folder; nothing in it was changed.`)
}

function readMarkerVersion(marker: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(marker, 'utf8'))
    const version = typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined
    return typeof version === 'number' && Number.isInteger(version) ? version : undefined
  } catch {
    return undefined
  }
}
