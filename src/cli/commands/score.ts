/** contam score <model> <text...>: how a model sees a text, token by token, numbers users can check by hand. */
import { parse, stdio, type Output } from '../args.js';
import { FatalError } from '../../errors.js';
import { openModel } from '../../models/onnx/open.js';
import { sanitizeLogLine as sanitizeLine } from '../../ui/sanitize.js';

export const help = `Usage: contam score <model> <text...> [--dtype D] [--json]

Prints each token of each text with its id, its log-prob under the model, and the mean and
standard deviation of log-prob under the model's next-token distribution at that position
(the numbers Min-K% and Min-K%++ are built from). The first token has no log-prob.

Examples:
  contam score ./models/gpt2-onnx "The capital of France is Paris."
  contam score ./models/gpt2-onnx "2 + 2 = 4" --json`;

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values, positionals } = parse('score', argv, { dtype: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return io.out(help);
  if (positionals.length < 2) throw new FatalError('contam score: expected a model and at least one text (see contam score --help)');
  const [spec, ...texts] = positionals;
  const model = await openModel(spec, { dtype: values.dtype });
  try {
    const scores = await model.scoreTexts(texts);
    const rows = scores.map((s) => ({
      tokens: s.ids.map((id, t) => ({
        id,
        text: model.tokenizer.tokenText(id),
        ...(t === 0 ? {} : { logprob: s.logprob[t], mean: s.mean[t], std: s.std[t] }),
      })),
    }));
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
