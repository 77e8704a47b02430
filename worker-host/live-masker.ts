import { Masker, type StreamMasker } from '../engine/secrets/index.ts';

/**
 * The masker of one run, which learns secret values while the action runs (a datastore secret it
 * read with `decrypt=True` or wrote with `encrypt=True`). `masker` always masks every value known
 * so far (for the result and the error); streams made by {@link createStreamMasker} mask the
 * values known at the start and, from the moment each is learnt, the later ones too.
 *
 * A stream is a chain of stream maskers: the first masks the values known at the start, each
 * later stage those learnt since, on the output of the stage before. A stage is added before the
 * action is answered, so everything it writes with the value in hand passes through it, holdback
 * included; earlier stages' held-back bytes pass through it too when they are released.
 * @example
 * const live = new LiveMasker(['token-1']);
 * const sink = live.createStreamMasker();
 * live.add(['kv-secret']);
 * live.masker.maskText('kv-secret'); // '********'
 */
export class LiveMasker {
  #values: Set<string>;
  #masker: Masker;
  readonly #streams = new Set<{ extend(stage: Masker): void }>();

  constructor(values: Iterable<string>) {
    this.#values = new Set(values);
    this.#masker = Masker.fromSecrets(this.#values);
  }

  /** A masker of every value known so far. */
  get masker(): Masker {
    return this.#masker;
  }

  /** Learns values; the ones already known change nothing. */
  add(values: Iterable<string>): void {
    const fresh = [...values].filter((v) => !this.#values.has(v));
    if (fresh.length === 0) return;
    const stage = Masker.fromSecrets(fresh);
    for (const v of fresh) this.#values.add(v);
    this.#masker = Masker.fromSecrets(this.#values);
    // A value too short to mask makes an empty stage: nothing to chain.
    if (stage.isEmpty) return;
    for (const stream of this.#streams) stream.extend(stage);
  }

  /** A stream masker for one output stream, masking values learnt later from then on. */
  createStreamMasker(): StreamMasker {
    const stages: StreamMasker[] = [this.#masker.createStreamMasker()];
    const stream = { extend: (stage: Masker) => void stages.push(stage.createStreamMasker()) };
    this.#streams.add(stream);
    const through = (from: number, bytes: Buffer): Buffer => {
      let out = bytes;
      for (let i = from; i < stages.length; i++) out = (stages[i] as StreamMasker).push(out);
      return out;
    };
    let ended = false;
    return {
      push: (chunk) => through(0, Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
      end: () => {
        if (ended) return Buffer.alloc(0);
        ended = true;
        this.#streams.delete(stream);
        // Each stage's remainder goes through the stages after it, then they end in turn.
        let carry = Buffer.alloc(0);
        for (const stage of stages) carry = Buffer.concat([stage.push(carry), stage.end()]);
        return carry;
      },
    };
  }
}
