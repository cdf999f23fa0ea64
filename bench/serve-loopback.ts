/**
 * A child process for the bench: the tests' vLLM-format loopback server (test/helpers/vllm-server.ts)
 * serving model folders, so the engine's work runs in another process than contam's client and the
 * client's own CPU time can be read apart from it.
 *   node serve-loopback.js --max-logprobs N name=dir [name=dir ...]
 * Prints the base URL on stdout, then serves until stdin closes or SIGTERM.
 */
import { startVllmServer } from '../test/helpers/vllm-server.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const cap = args.indexOf('--max-logprobs');
  const maxLogprobs = cap >= 0 ? Number(args[cap + 1]) : 20;
  const models = args.filter((a, i) => a.includes('=') && i !== cap + 1).map((a) => ({ name: a.slice(0, a.indexOf('=')), dir: a.slice(a.indexOf('=') + 1) }));
  const server = await startVllmServer({ models, maxLogprobs });
  process.stdout.write(`${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`serve-loopback: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
