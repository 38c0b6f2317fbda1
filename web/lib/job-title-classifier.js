// <job-title-classifier model="models/persona/model.json"> — an input and a live label (STYLE.md example 12).
// Surface: attribute/property `model` (a model URL), property `classifier` (set a loaded Classifier
// directly; the element does not dispose one it did not load), property `value` (the text), method
// classify(text), event "classified" (detail: {text, label, probabilities}) and "error" (detail: ClassifierError).
import { Classifier } from "./titleforest.js";

const template = `
<style>
  :host { display: inline-block; font: inherit; }
  .row { display: flex; gap: .5em; align-items: center; flex-wrap: wrap; }
  input { font: inherit; padding: .35em .5em; min-width: 16em; border: 1px solid #8a94a6; border-radius: 6px; }
  input:focus { outline: 2px solid #2f6feb; outline-offset: 1px; }
  output { font-weight: 600; padding: .2em .6em; border-radius: 999px; background: #eef2ff; color: #1e3a8a; min-width: 5em; text-align: center; }
  output:empty { visibility: hidden; }
  .p { color: #555; font-size: .85em; }
</style>
<div class="row" part="row">
  <input part="input" type="text" autocomplete="off" spellcheck="false">
  <output part="label" aria-live="polite"></output>
  <span class="p" part="probability"></span>
</div>`;

class JobTitleClassifier extends HTMLElement {
  static get observedAttributes() {
    return ["model", "placeholder", "label"];
  }

  #classifier = null;
  #owned = false;
  #loading = null;
  #input;
  #output;
  #prob;
  #onInput = () => this.#classifyNow();

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = template; // static markup only; data always goes through textContent
    this.#input = root.querySelector("input");
    this.#output = root.querySelector("output");
    this.#prob = root.querySelector(".p");
  }

  get model() {
    return this.getAttribute("model");
  }
  set model(v) {
    this.setAttribute("model", v ?? "");
  }

  get value() {
    return this.#input.value;
  }
  set value(v) {
    this.#input.value = v ?? "";
    this.#classifyNow();
  }

  /** The Classifier in use (null until loaded). Setting one uses it as is (not disposed by the element). */
  get classifier() {
    return this.#classifier;
  }
  set classifier(c) {
    this.#release();
    this.#classifier = c ?? null;
    this.#owned = false;
    this.#classifyNow();
  }

  /** Resolves when the model is loaded. */
  get ready() {
    return this.#loading ?? Promise.resolve(this.#classifier);
  }

  connectedCallback() {
    this.#input.addEventListener("input", this.#onInput);
    this.#syncAttributes();
    if (!this.#classifier && this.model) this.#load(this.model);
  }

  disconnectedCallback() {
    this.#input.removeEventListener("input", this.#onInput);
    this.#release();
    this.#loading = null;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (name === "model" && oldValue !== newValue && this.isConnected) {
      if (newValue) this.#load(newValue);
      else this.#release();
    } else {
      this.#syncAttributes();
    }
  }

  /** Classifies `text` (default: the input's value) and emits "classified". */
  classify(text = this.#input.value) {
    if (!this.#classifier || !text.trim()) return null;
    const result = { text, ...this.#classifier.predict(text) };
    this.#emit(result);
    return result;
  }

  #syncAttributes() {
    this.#input.placeholder = this.getAttribute("placeholder") ?? "Type a job title";
    this.#input.setAttribute("aria-label", this.getAttribute("label") ?? "Job title");
  }

  #release() {
    if (this.#owned) this.#classifier?.dispose();
    this.#classifier = null;
    this.#owned = false;
  }

  #load(url) {
    const loading = Classifier.load(url).then(
      (c) => {
        if (this.#loading !== loading) {
          c.dispose(); // a newer model attribute won the race
          return this.#classifier;
        }
        this.#release();
        this.#classifier = c;
        this.#owned = true;
        this.#loading = null;
        this.#classifyNow();
        return c;
      },
      (e) => {
        if (this.#loading === loading) this.#loading = null;
        this.dispatchEvent(new CustomEvent("error", { detail: e, bubbles: true }));
        return null;
      },
    );
    this.#loading = loading;
    return loading;
  }

  #classifyNow() {
    const text = this.#input.value;
    if (!this.#classifier || !text.trim()) {
      this.#output.textContent = "";
      this.#prob.textContent = "";
      return;
    }
    const r = this.classify(text);
    if (!r) return;
    this.#output.textContent = r.label;
    this.#prob.textContent = `${Math.round(100 * (r.probabilities[r.label] ?? 0))}%`;
  }

  #emit(result) {
    this.dispatchEvent(new CustomEvent("classified", { detail: result, bubbles: true }));
  }
}

if (typeof customElements !== "undefined" && !customElements.get("job-title-classifier")) {
  customElements.define("job-title-classifier", JobTitleClassifier);
}

export { JobTitleClassifier };
