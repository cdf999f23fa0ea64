import { describe, expect, it } from 'vitest';
import { codeBlock, escapeCell, escapeXml, plainText, safeFileName } from '../../src/report/escape.js';

describe('escapeCell', () => {
  it('escapes pipes, backticks, HTML and markdown link/emphasis characters', () => {
    expect(escapeCell('a|b `c` <script>x</script> & [l](u) *e* _u_')).toBe(
      'a\\|b \\`c\\` &lt;script&gt;x&lt;/script&gt; &amp; \\[l\\](u) \\*e\\* \\_u\\_',
    );
  });

  it('doubles a backslash so a trailing one cannot un-escape the next pipe', () => {
    expect(escapeCell('a\\|b\\')).toBe('a\\\\\\|b\\\\');
  });

  it('turns newlines, CR and tabs into spaces', () => {
    expect(escapeCell('one\r\ntwo\nthree\rfour\tfive')).toBe('one two three four five');
  });

  it('makes ANSI escapes, C0, DEL, C1 and bidi overrides visible', () => {
    expect(escapeCell('\u001b[31mred\u001b[0m')).toBe('␛\\[31mred␛\\[0m');
    expect(escapeCell('a\u0000b\u0007c\u007fd\u009be\u202ef')).toBe('a␀b␇c␡dU+009BeU+202Ef');
  });

  it('defuses an entity instead of letting it render as markup', () => {
    expect(escapeCell('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });
});

describe('other escapes', () => {
  it('escapeXml escapes markup and quotes and drops what XML 1.0 forbids', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001\uFFFF\uD800`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;␁\uFFFD\uFFFD');
  });

  it('plainText keeps one line', () => {
    expect(plainText('a\nb\u2028c\u001b')).toBe('a b c␛');
  });

  it('codeBlock picks a fence longer than any backtick run inside', () => {
    expect(codeBlock('echo ``` `x`', 'sh')).toBe('````sh\necho ``` `x`\n````');
  });

  it('safeFileName keeps a readable, path-free name', () => {
    expect(safeFileName('../my bench|<x>')).toBe('my-bench-x');
    expect(safeFileName('***')).toBe('benchmark');
  });
});
