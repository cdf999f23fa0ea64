import { Box, Static, Text, useInput, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BenchmarkRow } from './BenchmarkRow.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { LogLine } from './LogLine.js';
import { initialNav, navigate, selectedSampleIndex, type NavKey, type NavState } from './nav.js';
import { SampleList } from './SampleList.js';
import { SampleView, sampleTextLines, sampleViewOverhead } from './SampleView.js';
import { primaryDetector, sortBySuspicion } from './sample-order.js';
import { Summary } from './Summary.js';
import { useAuditEvents, type AuditEventSource } from './use-audit-events.js';
import { useNow } from './use-now.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AuditAppProps {
  /**
   * The audit's events: an AsyncIterable (createEventQueue() buffers events sent before mount) or
   * a subscribe function returning an unsubscribe. Pass a stable value: a new one re-subscribes.
   */
  readonly events: AuditEventSource;
  /** `q` after the 'done' event. The caller unmounts (renderInteractive does). */
  readonly onExit?: () => void;
  /**
   * Ctrl-C, with how many times it has been pressed. Ink must be rendered with
   * `exitOnCtrlC: false` (renderInteractive does) or Ink exits before this runs. The caller stops
   * the audit safely and keeps partial results; a second press may force quit.
   */
  readonly onCancel?: (presses: number) => void;
  /** Clock for elapsed and ETA; default Date.now. Pass a stable function. */
  readonly clock?: () => number;
  /** Re-render period for elapsed / ETA while running; default 1000 ms, 0 disables. */
  readonly tickMs?: number;
}

const NEIGHBOURS_SHOWN = 3;
// Header (2) + footer (1) + one spare line so the frame never reaches the terminal's height,
// where Ink falls back to clearing the whole screen on every frame.
const CHROME = 4;

/** Back to the benchmark table, the selected benchmark kept. */
const toTable = (nav: NavState): NavState => ({ ...initialNav, benchmark: nav.benchmark });

function toNavKey(input: string, key: Key): NavKey | undefined {
  if (key.upArrow || input === 'k') return 'up';
  if (key.downArrow || input === 'j') return 'down';
  if (key.pageUp) return 'page-up';
  if (key.pageDown || input === ' ') return 'page-down';
  if (key.home || input === 'g') return 'home';
  if (key.end || input === 'G') return 'end';
  if (key.return) return 'enter';
  if (key.escape || key.leftArrow || key.backspace || input === 'h') return 'back';
  return undefined;
}

/**
 * The live audit: header, one row per benchmark, summary, footer; Enter drills into a benchmark's
 * samples and into one sample. Each benchmark is shown once, as its row in the live frame (finished
 * ones marked ✓ and frozen, still selectable); warnings and first errors, which have no row, are
 * printed once into <Static> above the frame. Quitting or cancelling returns to the table first, so
 * the frame Ink leaves on the terminal at exit holds every row and the summary.
 */
export function AuditApp({ events, onExit, onCancel, clock = Date.now, tickMs = 1000 }: AuditAppProps) {
  const state = useAuditEvents(events, clock);
  const { columns, rows } = useTerminalSize();
  const now = useNow(clock, tickMs, !state.done);
  const [nav, setNav] = useState<NavState>(initialNav);
  const [cancelPresses, setCancelPresses] = useState(0);
  const [leaving, setLeaving] = useState(false);

  const primary = primaryDetector(state.config, state.benchmarks[0]);
  const benchmarkIndex = Math.min(nav.benchmark, Math.max(0, state.benchmarks.length - 1));
  const benchmark = state.benchmarks[benchmarkIndex];
  const sorted = useMemo(() => sortBySuspicion(benchmark?.samples ?? [], primary), [benchmark?.samples, primary]);
  const sampleIds = useMemo(() => sorted.map((s) => s.id), [sorted]);
  const sampleIndex = selectedSampleIndex(nav, sampleIds);
  const sample = nav.view === 'sample' ? sorted.find((s) => s.id === nav.sampleId) : undefined;
  // An engine adds one header line: its requests in flight, tokens/s and retries.
  const chrome = CHROME + (state.traffic ? 1 : 0);
  const listHeight = Math.max(3, rows - chrome - 2);
  const textHeight = sample ? Math.max(3, rows - chrome - sampleViewOverhead(sample, NEIGHBOURS_SHOWN)) : 0;
  const textLines = sample ? sampleTextLines(sample, columns).length : 0;

  // Keys are handled by one stable callback reading the latest render's values: Ink calls it
  // synchronously on input, possibly before React has re-subscribed a newer closure.
  const latest = useRef({ state, sampleIds, textHeight, listHeight, textLines, onExit, onCancel });
  latest.current = { state, sampleIds, textHeight, listHeight, textLines, onExit, onCancel };
  const cancelCount = useRef(0);
  const handleKey = useCallback((input: string, key: Key) => {
    const now = latest.current;
    if (key.ctrl && input === 'c') {
      cancelCount.current += 1;
      setCancelPresses(cancelCount.current);
      setNav(toTable);
      now.onCancel?.(cancelCount.current);
      return;
    }
    if (input === 'q') {
      if (!now.state.done) return;
      setNav(toTable);
      setLeaving(true);
      return;
    }
    const navKey = toNavKey(input, key);
    if (navKey === undefined) return;
    setNav((current) =>
      navigate(current, navKey, {
        benchmarks: now.state.benchmarks.length,
        sampleIds: now.sampleIds,
        page: current.view === 'sample' ? now.textHeight : now.listHeight,
        maxTextScroll: Math.max(0, now.textLines - now.textHeight),
      }),
    );
  }, []);
  const handleInput = useCallback(
    (input: string, key: Key) => {
      // Ink delivers keys typed faster than it reads (or sent by tmux) as one chunk: replay them.
      if (input.length > 1 && !key.ctrl && !key.meta) {
        for (const char of input) handleKey(char === '\r' ? '' : char, { ...key, return: char === '\r' });
        return;
      }
      handleKey(input, key);
    },
    [handleKey],
  );
  useInput(handleInput);
  // Exit once the table is on screen: the caller unmounts, and Ink keeps the last frame.
  useEffect(() => {
    if (leaving) latest.current.onExit?.();
  }, [leaving]);

  const nameWidth = Math.min(16, Math.max(8, ...state.benchmarks.map((b) => Array.from(b.name).length)));
  const cancelling = cancelPresses > 0 && !state.done;

  return (
    <>
      <Static items={[...state.log]}>
        {(entry) => <LogLine key={entry.id} entry={entry} />}
      </Static>
      <Box flexDirection="column" width={columns}>
        <Header config={state.config} primary={primary} traffic={state.traffic} startedAt={state.startedAt} />
        {nav.view === 'table' || !benchmark ? (
          <Box flexDirection="column" marginTop={1}>
            {state.benchmarks.map((b, i) => (
              <BenchmarkRow
                key={b.name}
                benchmark={b}
                primary={primary}
                thresholds={state.config?.thresholds}
                margins={state.config?.mode === 'fixed' ? state.config.margins : undefined}
                selected={i === benchmarkIndex}
                now={now}
                columns={columns}
                nameWidth={nameWidth}
              />
            ))}
            <Summary state={state} primary={primary} now={now} cancelling={cancelling} />
          </Box>
        ) : nav.view === 'sample' && sample ? (
          <SampleView sample={sample} primary={primary} scroll={nav.textScroll} textHeight={textHeight} columns={columns} neighbours={NEIGHBOURS_SHOWN} />
        ) : nav.view === 'sample' ? (
          <Text dimColor>sample no longer available</Text>
        ) : (
          <SampleList benchmark={benchmark.name} samples={sorted} selectedIndex={sampleIndex} detector={primary} height={listHeight} columns={columns} />
        )}
        <Footer view={nav.view} done={state.done} cancelling={cancelling} />
      </Box>
    </>
  );
}
