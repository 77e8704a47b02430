import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { SlotError } from './errors.ts';

/** SQS queue names: at most 80 characters of letters, digits, `-` and `_`. */
const QUEUE_NAME_MAX = 80;
/** A wake-up is only useful for a moment: SQS's shortest retention (60 s) drops the rest. */
const RETENTION_SECONDS = 60;
/** Long-poll wait of the listener: an idle host costs three receives a minute. */
const LISTEN_WAIT_SECONDS = 20;

/** A policy key whose slot was freed, as a wake-up carries it. */
export type WokenKey = string;

/**
 * Cross-host wake-ups for waiting groups. Each worker host opens a small standard queue of its own
 * (`attune-<stage>-wake-<worker>`) and long-polls it. A host whose execution waits for a full
 * key writes its queue's URL on that key's slot items (see SlotStore.watch); whoever frees one of
 * those slots sends the key to the URLs the slot item held, so the waiting host claims within a
 * receive's round trip instead of at its next back-off tick. A lost wake-up costs only latency: the
 * waiter still retries on its bounded back-off, and the claim (not the wake-up) decides who runs.
 */
export class WakeChannel {
  readonly #sqs: SQSClient;
  readonly #namePrefix: string;
  #url: string | undefined;

  /** `namePrefix` is the stage's wake queue prefix (`attune-<stage>-wake-`). */
  constructor(sqs: SQSClient, namePrefix: string) {
    this.#sqs = sqs;
    this.#namePrefix = namePrefix;
  }

  /** This host's queue URL once opened. */
  get url(): string | undefined {
    return this.#url;
  }

  /**
   * Creates (or finds again, after a restart under the same worker id) this host's wake queue.
   * @example const url = await wakes.open('ip-10-0-1-7-1234')
   */
  async open(workerId: string): Promise<string> {
    const name = wakeQueueName(this.#namePrefix, workerId);
    const out = await this.#sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { MessageRetentionPeriod: String(RETENTION_SECONDS), ReceiveMessageWaitTimeSeconds: String(LISTEN_WAIT_SECONDS) },
        tags: { 'attune:role': 'wake' },
      }),
    );
    if (!out.QueueUrl) throw new SlotError(`creating the wake queue ${name} returned no URL`);
    this.#url = out.QueueUrl;
    return out.QueueUrl;
  }

  /**
   * Long-polls this host's queue until `signal` aborts, calling `onWake` with each woken key.
   * Receive errors are handed to `onError` and retried after a second.
   */
  async listen(onWake: (key: WokenKey) => void, signal: AbortSignal, onError: (err: Error) => void): Promise<void> {
    const url = this.#url;
    if (!url) throw new SlotError('the wake queue is not open: call open() first');
    while (!signal.aborted) {
      try {
        const out = await this.#sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: LISTEN_WAIT_SECONDS }), { abortSignal: signal });
        const messages = out.Messages ?? [];
        for (const key of new Set(messages.map((m) => m.Body ?? ''))) if (key) onWake(key);
        if (messages.length > 0) {
          await this.#sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: messages.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
        }
      } catch (err) {
        if (signal.aborted) return;
        onError(err as Error);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  /**
   * Tells the hosts at `urls` that a slot of `key` is free; this host's own URL is skipped (it is
   * woken in process). Only URLs of this stage's wake queues are sent to. A queue that is gone (its
   * host drained) is passed over; any other failure is thrown after every send was tried.
   */
  async wake(urls: readonly string[], key: WokenKey): Promise<number> {
    const targets = [...new Set(urls)].filter((u) => u !== this.#url && queueNameOf(u).startsWith(this.#namePrefix));
    const results = await Promise.allSettled(targets.map((QueueUrl) => this.#sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: key }))));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof QueueDoesNotExist));
    if (failed.length > 0) throw new SlotError(`could not wake ${failed.length} of ${targets.length} waiting host(s) for ${key}`, { cause: failed[0]?.reason });
    return targets.length - results.filter((r) => r.status === 'rejected').length;
  }

  /** Deletes this host's queue (on drain). Waiters' records naming it are cleared by the next release. */
  async close(): Promise<void> {
    const url = this.#url;
    this.#url = undefined;
    if (url) await this.#sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
  }
}

/**
 * The wake queue name of a worker: the prefix and the worker id with every character SQS does not
 * allow turned into `-`, cut to SQS's 80 characters.
 * @example wakeQueueName('attune-dev-wake-', 'local-1') === 'attune-dev-wake-local-1'
 */
export function wakeQueueName(prefix: string, workerId: string): string {
  return `${prefix}${workerId.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, QUEUE_NAME_MAX);
}

function queueNameOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}
