/** contam score <model> <text...>: how a model sees a text, token by token, numbers users can check by hand. */
import { parse, stdio, type Output } from '../args.js';
import { FatalError } from '../../errors.js';
import { openBackend, parseModelSpec, withServedModel } from '../../models/registry.js';
import { sanitizeLogLine as sanitizeLine } from '../../ui/sanitize.js';

export const help = `Usage: contam score <model|url> <text...> [--dtype D] [--json]

Prints each token of each text with its id, its log-prob under the model, and the mean and
standard deviation of log-prob under the model's next-token distribution at that position
(the numbers Min-K% and Min-K%++ are built from). The first token has no log-prob.

Examples:
  contam score ./models/gpt2-onnx "The capital of France is Paris."
  contam score ./models/gpt2-onnx "2 + 2 = 4" --json
  contam score http://127.0.0.1:8000/v1 "The capital of France is Paris."   # a vLLM server`;

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values, positionals } = parse('score', argv, { dtype: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return io.out(help);
  if (positionals.length < 2) throw new FatalError('contam score: expected a model and at least one text (see contam score --help)');
  const [spec, ...texts] = positionals;
  const model = await openBackend(withServedModel(parseModelSpec(spec), values.model), { onnx: { dtype: values.dtype } });
  try {
    // An engine that caps prompt log-probs gives no mean and std: those columns then read '-'.
    const scores = await model.score(await model.tokenize(texts), { distribution: model.capabilities.distribution });
    const rows = await Promise.all(
      scores.map(async (s) => {
        const shown = await model.tokenTexts(s.ids);
        return {
          tokens: s.ids.map((id, t) => ({
            id,
            text: shown[t],
            ...(t === 0 ? {} : { logprob: s.logprob[t], ...(Number.isNaN(s.mean[t]) ? {} : { mean: s.mean[t], std: s.std[t] }) }),
          })),
        };
      }),
    );
    if (values.json) return io.out(JSON.stringify(texts.length === 1 ? rows[0] : rows));
    rows.forEach((row, i) => {
      io.out(`text ${i + 1}: ${sanitizeLine(texts[i])}`);
      io.out('    #      id  token                 logprob      mean       std');
      row.tokens.forEach((tok, t) => {
        const num = (x: number | undefined) => (x === undefined ? '         -' : x.toFixed(4).padStart(10));
        const shown = JSON.stringify(sanitizeLine(tok.text)).slice(0, 20).padEnd(20);
        io.out(`${String(t).padStart(5)} ${String(tok.id).padStart(7)}  ${shown} ${num(tok.logprob)}${num(tok.mean)}${num(tok.std)}`);
      });
    });
  } finally {
    await model.close();
  }
}
