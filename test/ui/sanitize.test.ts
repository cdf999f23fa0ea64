import { describe, expect, it } from 'vitest';
import { sanitizeForTerminal, sanitizeLogLine } from '../../src/ui/sanitize.js';
import { ESC, HOSTILE_TEXT } from './fixture-events.js';
import { plainText } from '../../src/report/escape.js';

describe('sanitizeForTerminal', () => {
  it('shows a CSI colour and a clear-screen as visible text', () => {
    expect(sanitizeForTerminal(`${ESC}[31mred${ESC}[0m${ESC}[2J`)).toBe('␛[31mred␛[0m␛[2J');
  });

  it('shows an OSC 8 hyperlink and an OSC title change as visible text', () => {
    expect(sanitizeForTerminal(`${ESC}]8;;https://x.example${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe('␛]8;;https://x.example␛\\link␛]8;;␛\\');
    expect(sanitizeForTerminal(`${ESC}]0;owned\u0007`)).toBe('␛]0;owned␇');
  });

  it('shows BEL, backspace, CR, NUL, DEL and C1 controls', () => {
    expect(sanitizeForTerminal('a\u0007b\u0008c\rd\u0000e\u007ff\u009b2Jg')).toBe('a␇b␈c␍d␀e␡fU+009B2Jg');
  });

  it('shows bidirectional overrides instead of letting them reorder the line', () => {
    expect(sanitizeForTerminal('abc\u202edcba\u2066x\u2069')).toBe('abcU+202EdcbaU+2066xU+2069');
  });

  it('turns a tab into a space and handles newlines per mode', () => {
    expect(sanitizeForTerminal('a\tb\nc')).toBe('a b↵c');
    expect(sanitizeForTerminal('a\nb', { newlines: 'space' })).toBe('a b');
    expect(sanitizeForTerminal('a\r\nb', { newlines: 'keep' })).toBe('a␍\nb');
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    expect(sanitizeForTerminal('Größe 東京 🙂 → ok')).toBe('Größe 東京 🙂 → ok');
  });

  it('never lets a control character of a hostile row through', () => {
    const out = sanitizeLogLine(HOSTILE_TEXT);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(out).toBe(
      'Q: ␛[31mred␛[0m ␛[2J␛]8;;https://evil.example␛\\link␛]8;;␛\\ ␛]0;owned␇ bell␇ back␈space car␍riage↵A: ok',
    );
  });
});

describe('one sanitiser for the terminal and the reports', () => {
  it('shows a control character the same way in the dashboard, the log and report.md, LRM/RLM included', () => {
    const hostile = 'x\u009by\u200ez\u200fw\u001b[1m';
    expect(sanitizeForTerminal(hostile)).toBe('xU+009ByU+200EzU+200Fw␛[1m');
    expect(plainText(hostile)).toBe(sanitizeForTerminal(hostile));
  });
});
