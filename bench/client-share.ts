/**
 * How much of a run's CPU time is the engine client's own (HTTP, JSON, tokenisation, the wire
 * format): V8's sampling profiler runs during the call, and every sample whose stack holds a frame of
 * src/models/remote/ or of Node's HTTP and socket internals counts as the client's. Garbage
 * collection is split in proportion; idle time counts for nobody.
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const CLIENT = /\/models\/remote\/|^node:(_http|https?|net|dns|tls)|^node:internal\/(http|streams?|net|dns|tls|stream_base)/;
const IDLE = new Set(['(idle)', '(program)']);

export interface ClientShare<T> {
  readonly value: T;
  readonly wallMs: number;
  /** CPU time the profiler saw, not idle. */
  readonly busyMs: number;
  readonly clientMs: number;
}

export async function clientShare<T>(run: () => Promise<T>): Promise<ClientShare<T>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const t = performance.now();
  let value: T;
  let profile: Profile;
  try {
    value = await run();
  } finally {
    profile = ((await session.post('Profiler.stop')) as unknown as { profile: Profile }).profile;
    session.disconnect();
  }
  const wallMs = performance.now() - t;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, boolean>();
  const isClient = (id: number): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const up = parent.get(id);
    const result = CLIENT.test(node.callFrame.url) || (up !== undefined && isClient(up));
    memo.set(id, result);
    return result;
  };
  let client = 0;
  let busy = 0;
  let gc = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const name = byId.get(id)!.callFrame.functionName;
    if (IDLE.has(name)) return;
    if (name === '(garbage collector)') {
      gc += dt;
      return;
    }
    busy += dt;
    if (isClient(id)) client += dt;
  });
  const share = busy > 0 ? client / busy : 0;
  return { value: value!, wallMs, busyMs: busy + gc, clientMs: client + gc * share };
}
