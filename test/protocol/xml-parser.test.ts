// The restXml body parser: what it reads, and what it refuses to expand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseXml, XmlSyntaxError } from '../../src/protocol/xml-parser.ts'

describe('XML parser', () => {
  it('reads elements, attributes, text, entities, character references and CDATA; drops namespace prefixes', () => {
    const root = parseXml('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment -->'
      + '<s3:Delete xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/" a=\'1\' b="x &amp; y">'
      + '<Object><Key>a &lt;b&gt; &quot;c&quot; &apos;d&apos; &#233;&#xE9;&#xD;&#10;</Key></Object>'
      + '<Object><Key><![CDATA[<raw> & ]]>tail</Key><Empty/></Object>'
      + '</s3:Delete>')
    assert.equal(root.name, 'Delete')
    assert.deepEqual(root.attributes, { 'xmlns:s3': 'http://s3.amazonaws.com/doc/2006-03-01/', a: '1', b: 'x & y' })
    assert.deepEqual(root.children.map((c) => c.name), ['Object', 'Object'])
    assert.equal(root.children[0]!.children[0]!.text, 'a <b> "c" \'d\' éé\r\n')
    assert.equal(root.children[1]!.children[0]!.text, '<raw> & tail')
    assert.deepEqual(root.children[1]!.children[1], { name: 'Empty', attributes: {}, children: [], text: '' })
  })

  it('folds literal line breaks to \\n as XML requires; only &#xD; keeps a carriage return', () => {
    assert.equal(parseXml('<a>x\r\ny\rz&#xD;</a>').text, 'x\ny\nz\r')
  })

  it('refuses DOCTYPE and entity declarations, undeclared entities and malformed documents', () => {
    const refused = [
      '<!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;</a>',
      '<a><!ENTITY x SYSTEM "file:///etc/passwd"></a>',
      '<a>&nbsp;</a>',
      '<a>&#xZZ;</a>',
      '<a>& b</a>',
      '<a><b></a></b>',
      '<a>',
      '<a></a><b></b>',
      'text',
      '<a b=c></a>',
    ]
    for (const source of refused) assert.throws(() => parseXml(source), XmlSyntaxError, source)
  })

  it('refuses absurd nesting instead of overflowing the stack', () => {
    assert.throws(() => parseXml('<a>'.repeat(500) + '</a>'.repeat(500)), XmlSyntaxError)
  })
})
