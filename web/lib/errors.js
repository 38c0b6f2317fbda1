// One JS error class for the whole library (STYLE.md example 10). `code` is one of ERROR_CODES, the
// ErrorCode list of src/core/common/error.h (a test diffs the two); `message` is one human sentence;
// `where` names the parameter, file, row or column when the core knows it.

/** The closed list of error codes, in the order of tf::ErrorCode. Never rename one. */
export const ERROR_CODES = Object.freeze([
  "invalid_parameter",
  "bad_input",
  "empty_vocabulary",
  "not_fitted",
  "model_format",
  "cancelled",
  "internal",
]);

export class ClassifierError extends Error {
  /**
   * @param {string} code one of ERROR_CODES ("internal" if unknown)
   * @param {string} message one sentence
   * @param {{where?: string, cause?: unknown}} [options]
   */
  constructor(code, message, { where, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "ClassifierError";
    this.code = ERROR_CODES.includes(code) ? code : "internal";
    this.where = where || "";
  }

  toJSON() {
    return { name: this.name, code: this.code, message: this.message, where: this.where };
  }
}

/** Throws a ClassifierError if `result` is a binding's {error: {code, message, where}}; else returns it. */
export function unwrap(result) {
  if (result && typeof result === "object" && result.error && typeof result.error === "object") {
    const { code, message, where } = result.error;
    throw new ClassifierError(code, message || "The WebAssembly core reported an error.", { where });
  }
  return result;
}

/** Any thrown value -> the plain {code, message, where} that crosses a worker boundary. */
export function toWire(e) {
  if (e instanceof ClassifierError) return { code: e.code, message: e.message, where: e.where };
  if (e && typeof e === "object" && typeof e.message === "string") {
    return { code: "internal", message: e.message, where: "" };
  }
  return { code: "internal", message: String(e), where: "" };
}

export function fromWire(w) {
  return new ClassifierError(w?.code, w?.message ?? "Unknown error.", { where: w?.where });
}
