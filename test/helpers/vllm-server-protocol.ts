/**
 * Wire-format pieces of the vLLM test server (vllm-server.ts): vLLM's error bodies, the Python
 * renderings that end up inside vLLM's messages, and a pydantic-like check of request bodies.
 *
 * Sources (vllm-project/vllm, read for the format only):
 * - serve/engine/protocol.py: ErrorInfo {message, type, param, code}, ErrorResponse {error}.
 * - serve/exception_handling/error_response.py: VLLMValidationError -> 400 "BadRequestError" with param;
 *   plain ValueError -> 400 "BadRequestError", param null; message = str(exc).
 * - vllm/exceptions.py: str(VLLMValidationError) appends " (parameter=..., value=...)".
 * - serve/exception_handling/handlers/validation.py: request-body (pydantic) errors -> 400 with type
 *   "Bad Request" (the HTTP phrase), message "N validation error(s):\n  {...}", param from the
 *   VLLMValidationError in ctx, else the cleaned loc ("body.n").
 * - serve/utils/api_utils.py validate_json_request: a non-JSON content type is such an error.
 */

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: number };
}

/** A response other than 200: the status, a JSON body (or raw text) and extra headers. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'error' in body ? JSON.stringify((body as { error: unknown }).error) : String(body));
  }
}

export function errorBody(message: string, type: string, code: number, param: string | null = null): ErrorBody {
  return { error: { message, type, param, code } };
}

/** Python repr() of a str. */
export function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python repr() of a float. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let body: string;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) body = `0.${'0'.repeat(-exp - 1)}${digits}`;
    else if (digits.length <= exp + 1) body = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
    else body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    const e = Math.abs(exp);
    body = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  return negative ? `-${body}` : body;
}

/** Python str() of a JSON value as the request handler sees it (ints stay ints, reals are floats). */
export function pyValue(value: unknown, asFloat = false): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return asFloat || !Number.isInteger(value) ? pyFloat(value) : String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? pyStr(v) : pyValue(v))).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyStr(k)}: ${typeof v === 'string' ? pyStr(v) : pyValue(v)}`)
    .join(', ')}}`;
}

/** str(VLLMValidationError(message, parameter=, value=)). */
export function vllmMessage(message: string, parameter?: string, value?: unknown, valueAsFloat = false): string {
  const extras: string[] = [];
  if (parameter !== undefined) extras.push(`parameter=${parameter}`);
  if (value !== undefined && value !== null) extras.push(`value=${pyValue(value, valueAsFloat)}`);
  return extras.length ? `${message} (${extras.join(', ')})` : message;
}

/** A VLLMValidationError raised while serving: 400 BadRequestError with its parameter. */
export function validationError(message: string, parameter?: string, value?: unknown, valueAsFloat = false): ApiError {
  return new ApiError(400, errorBody(vllmMessage(message, parameter, value, valueAsFloat), 'BadRequestError', 400, parameter ?? null));
}

/** A plain ValueError raised while serving: 400 BadRequestError, param null. */
export function valueError(message: string): ApiError {
  return new ApiError(400, errorBody(message, 'BadRequestError', 400, null));
}

export function modelNotFound(model: string): ApiError {
  return new ApiError(404, errorBody(`The model \`${model}\` does not exist.`, 'NotFoundError', 404, 'model'));
}

/** One pydantic error entry, as FastAPI reports it (loc already cleaned to a dotted string). */
export interface PydanticError {
  type: string;
  loc: string;
  msg: string;
  input: unknown;
  ctx?: string;
  /** The VLLMValidationError parameter carried in ctx, which becomes the response's param. */
  vllmParam?: string;
}

/** _summarize_error_input, then Python repr of the result. */
function summarizedInput(value: unknown): string {
  if (typeof value === 'string') return pyStr(value.length > 200 ? `${value.slice(0, 200)}...[truncated]` : value);
  if (Array.isArray(value)) return pyStr(`<list of ${value.length} items>`);
  if (value && typeof value === 'object') return pyStr(`<dict of ${Object.keys(value).length} items>`);
  return pyStr(pyValue(value));
}

/** The 400 that vLLM's validation_exception_handler builds from pydantic errors. */
export function requestValidationError(errors: readonly (PydanticError | string)[]): ApiError {
  const count = errors.length;
  const label = count === 1 ? 'error' : 'errors';
  const lines = errors.slice(0, 10).map((err) => {
    if (typeof err === 'string') return err;
    let text = `{'type': ${pyStr(err.type)}, 'loc': ${pyStr(err.loc)}, 'msg': ${pyStr(err.msg)}, 'input': ${summarizedInput(err.input)}`;
    if (err.ctx !== undefined) text += `, 'ctx': ${err.ctx}`;
    text += '}';
    return text.length > 1000 ? `${text.slice(0, 1000)}...[truncated]` : text;
  });
  let message = `${count} validation ${label}:\n${lines.map((l) => `  ${l}\n`).join('')}`;
  if (count > 10) message += `  ...and ${count - 10} more ${label}\n`;
  message = message.trimEnd();
  let param: string | null = null;
  for (const err of errors) {
    if (typeof err !== 'string' && err.vllmParam !== undefined) {
      param = err.vllmParam;
      break;
    }
  }
  if (param === null && errors.length && typeof errors[0] !== 'string') param = (errors[0] as PydanticError).loc;
  return new ApiError(400, errorBody(message, 'Bad Request', 400, param));
}

/** A VLLMValidationError raised by a `mode="before"` model validator (pydantic wraps it as value_error). */
export function modelValidatorError(body: Record<string, unknown>, message: string, parameter?: string, value?: unknown): ApiError {
  const text = vllmMessage(message, parameter, value);
  return requestValidationError([
    { type: 'value_error', loc: 'body', msg: `Value error, ${text}`, input: body, ctx: `{'error': VLLMValidationError(${pyStr(message)})}`, vllmParam: parameter },
  ]);
}

/** validate_json_request: only application/json bodies. */
export function checkJsonContentType(contentType: string | undefined): void {
  const media = (contentType ?? '').toLowerCase().split(';', 1)[0].trim();
  if (media !== 'application/json') throw requestValidationError(["Unsupported Media Type: Only 'application/json' is allowed"]);
}

/** FastAPI's answer to a body that is not JSON. */
export function jsonDecodeError(text: string, error: unknown): ApiError {
  const detail = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(detail)?.[1] ?? '0';
  return requestValidationError([
    { type: 'json_invalid', loc: `body.${position}`, msg: 'JSON decode error', input: {}, ctx: `{'error': ${pyStr(text.trim() === '' ? 'Expecting value' : detail)}}` },
  ]);
}

// ---- pydantic-like field coercion (lax mode) ------------------------------------------------------

export type FieldKind = 'int' | 'float' | 'bool' | 'str' | 'int_list' | 'str_or_str_list' | 'side';

const TRUE_STRINGS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_STRINGS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** Coerces one field as pydantic's lax mode would; pushes an error and returns undefined when it cannot. */
export function coerceField(name: string, value: unknown, kind: FieldKind, nullable: boolean, errors: PydanticError[]): unknown {
  const loc = `body.${name}`;
  if (value === null) {
    if (nullable) return null;
  }
  switch (kind) {
    case 'int': {
      if (typeof value === 'number') {
        if (Number.isInteger(value)) return value;
        errors.push({ type: 'int_from_float', loc, msg: 'Input should be a valid integer, got a number with a fractional part', input: value });
        return undefined;
      }
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string') {
        const text = value.trim();
        if (/^[+-]?\d+$/.test(text)) return Number(text);
        errors.push({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: value });
        return undefined;
      }
      errors.push({ type: 'int_type', loc, msg: 'Input should be a valid integer', input: value });
      return undefined;
    }
    case 'float': {
      if (typeof value === 'number') return value;
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string') {
        const text = value.trim().toLowerCase();
        const parsed = text === 'inf' || text === '+inf' ? Infinity : text === '-inf' ? -Infinity : text === 'nan' ? NaN : text === '' ? NaN : Number(text);
        if (!Number.isNaN(parsed) || text === 'nan') return parsed;
        errors.push({ type: 'float_parsing', loc, msg: 'Input should be a valid number, unable to parse string as a number', input: value });
        return undefined;
      }
      errors.push({ type: 'float_type', loc, msg: 'Input should be a valid number', input: value });
      return undefined;
    }
    case 'bool': {
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 1) return value === 1;
      if (typeof value === 'string') {
        const text = value.trim().toLowerCase();
        if (TRUE_STRINGS.has(text)) return true;
        if (FALSE_STRINGS.has(text)) return false;
        errors.push({ type: 'bool_parsing', loc, msg: 'Input should be a valid boolean, unable to interpret input', input: value });
        return undefined;
      }
      errors.push({ type: 'bool_type', loc, msg: 'Input should be a valid boolean', input: value });
      return undefined;
    }
    case 'str': {
      if (typeof value === 'string') return value;
      errors.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: value });
      return undefined;
    }
    case 'side': {
      if (value === 'left' || value === 'right') return value;
      errors.push({ type: 'literal_error', loc, msg: "Input should be 'left' or 'right'", input: value, ctx: `{'expected': "'left' or 'right'"}` });
      return undefined;
    }
    case 'int_list': {
      if (!Array.isArray(value)) {
        errors.push({ type: 'list_type', loc, msg: 'Input should be a valid list', input: value });
        return undefined;
      }
      const out: number[] = [];
      let ok = true;
      value.forEach((item, i) => {
        const got = coerceField(`${name}.${i}`, item, 'int', false, errors);
        if (got === undefined) ok = false;
        else out.push(got as number);
      });
      return ok ? out : undefined;
    }
    case 'str_or_str_list': {
      if (typeof value === 'string') return value;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
      errors.push({ type: 'string_type', loc: `body.${name}`, msg: 'Input should be a valid string', input: value });
      errors.push(
        Array.isArray(value)
          ? { type: 'string_type', loc: `body.${name}.${value.findIndex((v) => typeof v !== 'string')}`, msg: 'Input should be a valid string', input: value.find((v) => typeof v !== 'string') }
          : { type: 'list_type', loc: `body.${name}`, msg: 'Input should be a valid list', input: value },
      );
      return undefined;
    }
  }
}

/**
 * JSON.stringify, except that a Map is written as an object in insertion order. Python dicts keep
 * insertion order, so vLLM writes a prompt_logprobs position with the actual token first even when its
 * id is larger; a plain JS object would reorder integer-like keys ("188" before "195").
 */
export function toJson(value: unknown): string {
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [k, v] of value) if (v !== undefined) parts.push(`${JSON.stringify(String(k))}:${toJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
  if (value && typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
