/**
 * A real terminal for tests: a private tmux server (its own socket, no user config) whose panes stay
 * after their command exits (remain-on-exit), so a test can read the exit status and the last screen.
 * Screens are polled, never waited on with fixed sleeps.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

const socket = `contam-test-${process.pid}`;
let config: string | undefined;
let count = 0;

function tmux(args: readonly string[]): string {
  if (!config) {
    config = join(mkdtempSync(join(tmpdir(), 'contam-tmux-')), 'tmux.conf');
    // escape-time 50: a lone Esc reaches the program quickly instead of after tmux's 500 ms default.
    writeFileSync(config, 'set -g remain-on-exit on\nset -g escape-time 50\nset -g history-limit 2000\n');
  }
  const r = spawnSync('tmux', ['-L', socket, '-f', config, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Single-quotes a word for the shell tmux runs the command with. */
export const shellQuote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

export interface Pane {
  readonly name: string;
  /** The visible screen; with `escapes`, SGR colour and attribute codes included (capture-pane -e). */
  capture(escapes?: boolean): string;
  /** The scrollback and the screen, oldest line first. */
  history(): string;
  keys(...keys: string[]): void;
  /** A tmux format for this pane, e.g. '#{pane_title}'. */
  display(format: string): string;
  /** Polls the screen until `test` passes; throws with the last screen after `timeoutMs`. */
  waitFor(test: (screen: string) => boolean, what: string, options?: { timeoutMs?: number; escapes?: boolean }): Promise<string>;
  /** Resolves with the exit status once the command has exited. */
  waitForExit(timeoutMs?: number): Promise<number>;
  kill(): void;
}

/** Starts `command` (a shell command line) in a new 120x40 session. */
export function startPane(command: string, cwd: string): Pane {
  const name = `contam-${process.pid}-${++count}`;
  tmux(['new-session', '-d', '-x', '120', '-y', '40', '-s', name, '-c', cwd, command]);
  const pane: Pane = {
    name,
    capture: (escapes = false) => tmux(['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', name]),
    history: () => tmux(['capture-pane', '-p', '-S', '-', '-t', name]),
    keys: (...keys) => void tmux(['send-keys', '-t', name, ...keys]),
    display: (format) => tmux(['display-message', '-p', '-t', name, format]).replace(/\n$/, ''),
    async waitFor(test, what, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 30_000);
      let screen = '';
      while (Date.now() < deadline) {
        screen = pane.capture(options.escapes);
        if (test(screen)) return screen;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
    },
    async waitForExit(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const [dead, status] = pane.display('#{pane_dead} #{pane_dead_status}').split(' ');
        if (dead === '1') return Number(status);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for the program to exit; screen:\n${pane.capture()}`);
    },
    kill: () => {
      try {
        tmux(['kill-session', '-t', name]);
      } catch {
        // already gone
      }
    },
  };
  return pane;
}

/** Stops this process's private tmux server (only ours: it has its own socket). */
export function stopTmuxServer(): void {
  if (!config) return;
  spawnSync('tmux', ['-L', socket, 'kill-server']);
}
