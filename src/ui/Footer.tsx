import { Text } from 'ink';
import type { View } from './nav.js';

export interface FooterProps {
  readonly view: View;
  /** The audit is over: `q` quits. */
  readonly done: boolean;
  /** Ctrl-C was already pressed once. */
  readonly cancelling: boolean;
}

const MOVES: Record<View, string> = {
  table: '↑/↓ j/k select · enter samples',
  samples: '↑/↓ j/k select · pgup/pgdn page · enter open · esc back',
  sample: '↑/↓ j/k scroll · esc back',
};

/** The keys that work in the current view. */
export function Footer({ view, done, cancelling }: FooterProps) {
  const exit = done ? 'q quit' : cancelling ? 'ctrl-c again to force quit' : 'ctrl-c cancel (keeps partial results)';
  return (
    <Text dimColor wrap="truncate">
      {MOVES[view]} · {exit}
    </Text>
  );
}
