import OpenAI from 'openai';
import { errorMessage } from '../../shared/errors';
import { DRAFT_JSON_SCHEMA, type ChatMessage } from './prompt';

/** How the answer's shape is asked for: a JSON schema, JSON mode, or plain text (servers that lack both). */
export type OutputMode = 'json_schema' | 'json_object' | 'text';

/** One answer of the model, with what it cost. */
export interface Completion {
  text: string;
  mode: OutputMode;
  promptTokens: number;
  answerTokens: number;
}

/** A failed request, its message cleaned of the key; `retryable` when waiting could help. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/** The chat endpoint as drafting uses it. */
export interface ChatModel {
  readonly name: string;
  complete(messages: readonly ChatMessage[], options: { maxTokens: number; signal?: AbortSignal }): Promise<Completion>;
}

/** What {@link createChatModel} needs. */
export interface ChatModelOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  temperature: number;
  timeoutMs: number;
  maxRetries: number;
  fetch?: typeof globalThis.fetch;
}

// Servers say "not supported" for response_format in many ways (OpenAI: "Invalid parameter:
// 'response_format' of type 'json_schema' is not supported with this model."; vLLM and llama.cpp
// name the field or "guided decoding"; some answer 400/422 with the field in `param`).
const UNSUPPORTED = /response_format|json_schema|json_object|guided|grammar|structured/i;

/**
 * A chat model on any OpenAI-compatible endpoint, through the official `openai` client (its own
 * retries with backoff honour `retry-after` on 429 and 5xx). It asks for a JSON schema first and
 * steps down to JSON mode, then plain text, when the server refuses the format, remembering what
 * worked so later drafts ask for that straight away.
 */
export function createChatModel(options: ChatModelOptions): ChatModel {
  const client = new OpenAI({
    baseURL: options.baseUrl,
    // Local servers take no key; the client insists on one, and they ignore the header.
    apiKey: options.apiKey ?? 'no-key',
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const secrets = options.apiKey ? [options.apiKey] : [];
  let mode: OutputMode = 'json_schema';

  const request = async (messages: readonly ChatMessage[], maxTokens: number, signal?: AbortSignal) => {
    const response_format =
      mode === 'json_schema'
        ? ({
            type: 'json_schema',
            json_schema: { name: 'glossary_entry', strict: true, schema: DRAFT_JSON_SCHEMA },
          } as const)
        : mode === 'json_object'
          ? ({ type: 'json_object' } as const)
          : undefined;
    return client.chat.completions.create(
      {
        model: options.model,
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        temperature: options.temperature,
        max_tokens: maxTokens,
        ...(response_format ? { response_format: response_format as never } : {}),
      },
      signal ? { signal } : {},
    );
  };

  return {
    name: options.model,
    async complete(messages, { maxTokens, signal }) {
      for (;;) {
        try {
          const answer = await request(messages, maxTokens, signal);
          const text = answer.choices[0]?.message?.content ?? '';
          return {
            text,
            mode,
            promptTokens: answer.usage?.prompt_tokens ?? 0,
            answerTokens: answer.usage?.completion_tokens ?? 0,
          };
        } catch (error) {
          const status = error instanceof OpenAI.APIError ? error.status : undefined;
          const message = redact(errorMessage(error), secrets);
          if ((status === 400 || status === 422) && mode !== 'text' && UNSUPPORTED.test(message)) {
            mode = mode === 'json_schema' ? 'json_object' : 'text';
            continue;
          }
          throw new ModelError(message, status);
        }
      }
    },
  };
}

/** The text with every secret (and any `Bearer …` credential) blotted out. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/(Bearer\s+)\S+/gi, '$1[redacted]');
}
