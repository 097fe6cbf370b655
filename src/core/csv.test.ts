// RFC 4180 rows: quoted fields holding the delimiter, line breaks and doubled quotes; CRLF and LF lines.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { csvRows } from './csv.ts'

describe('csvRows', () => {
  it('reads quoted fields, doubled quotes, CRLF lines and a last line without a break', () => {
    assert.deepEqual(csvRows('a,b\r\n"x,1","say ""hi""\nthere"\nlast,'), [['a', 'b'], ['x,1', 'say "hi"\nthere'], ['last', '']])
  })

  it('splits on the delimiter given, and a quote inside a field is text', () => {
    assert.deepEqual(csvRows('a|b"c|"d|e"\n', '|'), [['a', 'b"c', 'd|e']])
  })
})
