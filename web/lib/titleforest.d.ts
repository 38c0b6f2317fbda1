// Types of web/lib/titleforest.js (hand-written; DESIGN.md section 3).

/** The ErrorCode list of src/core/common/error.h, in order. A test diffs the two. */
export type ClassifierErrorCode =
  | "invalid_parameter"
  | "bad_input"
  | "empty_vocabulary"
  | "not_fitted"
  | "model_format"
  | "cancelled"
  | "internal";

export declare const ERROR_CODES: readonly ClassifierErrorCode[];

export declare class ClassifierError extends Error {
  constructor(code: ClassifierErrorCode, message: string, options?: { where?: string; cause?: unknown });
  readonly name: "ClassifierError";
  /** Stable code: branch on this, not on the message. */
  readonly code: ClassifierErrorCode;
  /** The parameter, file, row or column concerned ("tfidf.max_df", "input:14:label"), or "". */
  readonly where: string;
  toJSON(): { name: string; code: ClassifierErrorCode; message: string; where: string };
}

/** Parameters nested by stage, with scikit-learn's snake_case names; every key optional. */
export interface PipelineParams {
  preprocess?: {
    preserve_line?: boolean;
    stopwords?: "english" | null | string[];
    min_token_length?: number;
    stem?: boolean;
    stem_mode?: "nltk" | "martin" | "original";
  };
  tfidf?: {
    analyzer?: "word" | "char" | "char_wb";
    lowercase?: boolean;
    strip_accents?: "ascii" | "unicode" | null;
    token_pattern?: string;
    stop_words?: "english" | null | string[];
    ngram_range?: [number, number];
    max_df?: number;
    min_df?: number;
    max_features?: number | null;
    vocabulary?: string[] | null;
    binary?: boolean;
    norm?: "l1" | "l2" | null;
    use_idf?: boolean;
    smooth_idf?: boolean;
    sublinear_tf?: boolean;
  };
  forest?: {
    n_estimators?: number;
    criterion?: "gini" | "entropy" | "log_loss";
    max_depth?: number | null;
    min_samples_split?: number;
    min_samples_leaf?: number;
    min_impurity_decrease?: number;
    max_features?: "sqrt" | "log2" | number | null;
    bootstrap?: boolean;
    max_samples?: number | null;
    class_weight?: "balanced" | "balanced_subsample" | null;
    oob_score?: boolean;
    random_state?: number | null;
    n_jobs?: number;
  };
  split?: {
    test_size?: number | null;
    train_size?: number | null;
    random_state?: number | null;
    shuffle?: boolean;
    stratify?: boolean;
  };
  search?: {
    max_rounds?: number;
    target_v_measure?: number;
    n_estimators_spread?: number;
    select_on?: "test" | "validation";
    validation_size?: number;
    random_state?: number;
  };
}

export interface Prediction {
  label: string;
  /** One probability per label of `Classifier.labels`. */
  probabilities: Record<string, number>;
}

export interface ClassifierInfo {
  labels: readonly string[];
  n_features: number;
  n_trees: number;
  n_train_rows: number;
  params: PipelineParams;
  /** The forest's impurity-based feature importances as vocabulary terms: up to 20, most important first.
   *  Computed the first time it is read (a pass over every tree node), not while training. */
  top_terms: [term: string, importance: number][];
}

export declare class Classifier {
  private constructor();
  /** A URL (a file path in Node), the model file's bytes (JSON or binary), or the parsed JSON model. */
  static load(source: string | URL | ArrayBuffer | ArrayBufferView | Blob | object): Promise<Classifier>;
  readonly labels: readonly string[];
  readonly info: ClassifierInfo;
  readonly params: PipelineParams;
  readonly disposed: boolean;
  predict(text: string): Prediction;
  predict(texts: readonly string[]): Prediction[];
  /** The JSON model file's content. */
  toJSON(): object;
  /** The model file's bytes; "binary" (CBOR) by default. */
  toBytes(encoding?: "binary" | "json"): Uint8Array;
  /** Frees the WebAssembly memory. */
  dispose(): void;
}

export interface ReportRow {
  text: string;
  normalized: string;
  actual: string;
  predicted: string;
}
export interface ReportGroup {
  predicted: string;
  count: number;
  /** (actual label, count), in order of first appearance */
  actual_counts: [string, number][];
  rows: ReportRow[];
}
export interface RoundResult {
  round: number;
  criterion: string;
  n_estimators: number;
  accuracy: number;
  v_measure: number;
}
/** The `titleforest evaluate` JSON (DESIGN.md section 3). */
export interface EvaluateReport {
  accuracy: number;
  v_measure: number;
  homogeneity: number;
  completeness: number;
  labels: string[];
  /** rows = actual, columns = predicted, in `labels` order */
  confusion_matrix: number[][];
  n_train: number;
  n_test: number;
  rounds: RoundResult[];
  wrong: ReportGroup[];
  correct: ReportGroup[];
  /** index into `rounds` of the round whose forest is the returned classifier */
  best_round: number;
  /** rows left out: no label / empty text after normalization */
  dropped_empty_label: number;
  dropped_empty_text: number;
  [key: string]: unknown;
}
/** The report of trainClassifier({evaluate: false}) (one worker). */
export interface TrainReport {
  n_rows: number;
  dropped_empty_label: number;
  n_train: number;
}
/** The report of trainClassifier({evaluate: false, workers: n > 1}). */
export interface ParallelTrainReport {
  n_train: number;
  /** workers actually used (at most one per tree) */
  workers: number;
  /** the chunks of trees, in merge order, and which worker grew each (free workers take the next one) */
  trees: { first: number; count: number; worker: number }[];
}

export type TrainProgress =
  | {
      kind: "progress";
      stage: string;
      fraction: number;
      overall: number;
      round: number;
      max_rounds: number;
      /** trees grown so far in this round (stage "forest") */
      trees?: number;
      /** with workers > 1: which worker reported, and how many there are */
      worker?: number;
      workers?: number;
    }
  | ({ kind: "round"; overall: number; max_rounds: number } & RoundResult);

export interface TrainOptions {
  /** The CSV/TSV file's text or bytes (UTF-8, BOM allowed). */
  csv: string | ArrayBuffer | Uint8Array;
  /** Text column name(s), joined with a space. */
  text: string | string[];
  label: string;
  /** 1-based line holding the column names (default 1). */
  headerRow?: number;
  /** Forced delimiter; sniffed among , TAB ; | otherwise. */
  delimiter?: string;
  /** Name used in error messages (default "input"). */
  source?: string;
  params?: PipelineParams;
  /** true (default): the notebook's experiment; false: one forest on every row. */
  evaluate?: boolean;
  onProgress?: (p: TrainProgress) => void;
  /** Abort -> the promise rejects with ClassifierError code "cancelled". */
  signal?: AbortSignal;
  /** Run in a Web Worker / worker_thread (default true). */
  worker?: boolean;
  /**
   * With evaluate: false, grow the forest's trees in this many workers at once (default 1). Each
   * prepares the same TF-IDF once, then grows chunks of trees as it becomes free (chunks shrink towards
   * the end); the chunks are merged in tree order, so the model bytes equal those of one worker.
   * forest.random_state None is drawn once for all.
   */
  workers?: number;
}

export declare function trainClassifier(
  options: TrainOptions & { evaluate?: true },
): Promise<{ classifier: Classifier; report: EvaluateReport }>;
export declare function trainClassifier(
  options: TrainOptions & { evaluate: false },
): Promise<{ classifier: Classifier; report: TrainReport | ParallelTrainReport }>;

export interface TableInfo {
  columns: string[];
  n_rows: number;
  preview: string[][];
  delimiter: string;
  blank_rows: number;
  invalid_utf8: number;
}
export declare function readTable(
  csv: string | ArrayBuffer | Uint8Array,
  options?: { headerRow?: number; delimiter?: string; source?: string; previewRows?: number },
): Promise<TableInfo>;

export declare function version(): Promise<string>;
export declare function loadModule(moduleUrl?: string | URL): Promise<unknown>;
/** Ends the idle training workers kept for reuse (a worker whose task succeeded serves the next one). */
export declare function terminateWorkers(): void;
