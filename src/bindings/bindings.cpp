// The Embind bindings: the only Emscripten translation unit (DESIGN.md section 2, STYLE.md example 9).
// A thin translation of plain values: strings and bytes in; JS objects, JSON-shaped values and copied
// Uint8Arrays out. No exception crosses: every function returns either its result or
// {error: {code, message, where}}, which web/lib turns into a ClassifierError. Models live in a handle
// table here; JS owns the handle and must _dispose() it (web/lib's Classifier.dispose()).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/model_io.h"
#include "io/table.h"
#include "pipeline.h"

using emscripten::val;

namespace {

val error_val(std::string_view code, const std::string& message, const std::string& where) {
  val err = val::object();
  err.set("code", std::string(code));
  err.set("message", message);
  err.set("where", where);
  val out = val::object();
  out.set("error", err);
  return out;
}

template <class F>
val guard(F&& f) {
  try {
    return f();
  } catch (const tf::Error& e) {
    return error_val(tf::to_string(e.code), e.what(), e.where);
  } catch (const nlohmann::json::exception& e) {
    return error_val("invalid_parameter", std::string("The options are not valid JSON: ") + e.what(), "");
  } catch (const std::bad_alloc&) {
    return error_val("internal", "Out of memory: the data is too large for this tab.", "");
  } catch (const std::exception& e) {
    return error_val("internal", e.what(), "");
  } catch (...) {
    return error_val("internal", "An unknown C++ exception was thrown.", "");
  }
}

// JSON -> JS value, through JSON.parse (one crossing, no per-field marshalling code to maintain).
val to_val(const nlohmann::json& j) { return val::global("JSON").call<val>("parse", j.dump()); }

val bytes_val(const std::vector<std::uint8_t>& bytes) {
  // a copy JS owns: typed_memory_view is a view into the heap, slice() copies it out
  return val(emscripten::typed_memory_view(bytes.size(), bytes.data())).call<val>("slice");
}

nlohmann::json parse_options(const std::string& text) {
  if (text.empty()) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw tf::Error(tf::ErrorCode::invalid_parameter, "The options must be a JSON object.", "options");
  return j;
}

// {delimiter, header_row, source} of the options object -> CsvOptions
tf::io::CsvOptions csv_options(const nlohmann::json& o) {
  tf::io::CsvOptions c;
  if (o.contains("source") && o["source"].is_string()) c.source = o["source"].get<std::string>();
  if (o.contains("header_row") && !o["header_row"].is_null()) {
    const auto& h = o["header_row"];
    if (!h.is_number_integer() || h.get<long long>() < 1 || h.get<long long>() > 1000000)
      tf::throw_invalid_parameter("header_row", "an int in [1, 1000000]", h.dump());
    c.header_row = h.get<int>();
  }
  if (o.contains("delimiter") && !o["delimiter"].is_null()) {
    const auto& d = o["delimiter"];
    if (!d.is_string() || d.get<std::string>().size() > 1)
      tf::throw_invalid_parameter("delimiter", "a single character, or \"\" to sniff it", d.dump());
    const std::string s = d.get<std::string>();
    c.delimiter = s.empty() ? 0 : s[0];
  }
  return c;
}

tf::Columns columns_of(const nlohmann::json& o, bool need_label) {
  tf::Columns c;
  if (o.contains("text")) {
    const auto& t = o["text"];
    if (t.is_string()) {
      c.text.push_back(t.get<std::string>());
    } else if (t.is_array()) {
      for (const auto& x : t) {
        if (!x.is_string()) tf::throw_invalid_parameter("text", "a column name or a list of column names", t.dump());
        c.text.push_back(x.get<std::string>());
      }
    } else {
      tf::throw_invalid_parameter("text", "a column name or a list of column names", t.dump());
    }
  }
  if (c.text.empty())
    throw tf::Error(tf::ErrorCode::invalid_parameter, "Choose at least one text column.", "text");
  if (o.contains("label") && o["label"].is_string()) c.label = o["label"].get<std::string>();
  if (need_label && c.label.empty())
    throw tf::Error(tf::ErrorCode::invalid_parameter, "Choose the label column.", "label");
  return c;
}

tf::PipelineParams params_of(const nlohmann::json& o) {
  tf::PipelineParams p;
  if (o.contains("params") && !o["params"].is_null()) {
    if (!o["params"].is_object())
      tf::throw_invalid_parameter("params", "an object {preprocess, tfidf, forest, split, search}", o["params"].dump());
    p = o["params"].get<tf::PipelineParams>();
  }
  p.validate();
  return p;
}

// FitControl + round callback that forward to a JS function (plain objects only).
tf::FitControl control_for(val progress) {
  tf::FitControl ctl;
  if (progress.typeOf().as<std::string>() == "function") {
    ctl.on_progress = [progress](double fraction, const std::string& stage) {
      val o = val::object();
      o.set("kind", std::string("progress"));
      o.set("fraction", fraction);
      o.set("stage", stage);
      progress(o);
    };
  }
  return ctl;
}

std::unordered_map<int, tf::Model> g_models;
int g_next_handle = 1;

int store(tf::Model&& m) {
  const int h = g_next_handle++;
  g_models.emplace(h, std::move(m));
  return h;
}

const tf::Model& model_at(int handle) {
  auto it = g_models.find(handle);
  if (it == g_models.end())
    throw tf::Error(tf::ErrorCode::not_fitted, "This classifier was disposed or never loaded.", "handle");
  return it->second;
}

// terms: with the 20 most important terms (top_terms: a pass over every node of every tree). Only _info
// computes them; Classifier.info asks for them the first time they are read.
val model_info(int handle, const tf::Model& m, bool terms = true) {
  val o = val::object();
  o.set("handle", handle);
  val labels = val::array();
  for (const auto& l : m.labels()) labels.call<void>("push", l);
  o.set("labels", labels);
  o.set("n_features", static_cast<double>(m.vectorizer().n_features()));
  o.set("n_trees", static_cast<double>(m.forest().n_trees()));
  o.set("n_train_rows", static_cast<double>(m.n_train_rows));
  o.set("params", to_val(nlohmann::json(m.params())));
  if (!terms) return o;
  nlohmann::json top = nlohmann::json::array();
  for (const auto& [term, importance] : m.top_terms(20)) top.push_back({term, importance});
  o.set("top_terms", to_val(top));  // [[term, importance], ...], most important first
  return o;
}

// ---- the bound functions ------------------------------------------------------------------------

std::string version() { return "titleforest 0.1.0 (wasm)"; }

// csv: string or Uint8Array. -> {columns, n_rows, preview: [[cells]...], delimiter, blank_rows, invalid_utf8}
val read_table(std::string csv, std::string options_json) {
  return guard([&] {
    const auto o = parse_options(options_json);
    const tf::io::Table t = tf::io::read_table(csv, csv_options(o));
    std::size_t n_preview = 5;
    if (o.contains("preview_rows") && o["preview_rows"].is_number_unsigned())
      n_preview = o["preview_rows"].get<std::size_t>();
    nlohmann::json j;
    j["columns"] = t.columns;
    j["n_rows"] = t.rows.size();
    nlohmann::json preview = nlohmann::json::array();
    for (std::size_t i = 0; i < t.rows.size() && i < n_preview; ++i) preview.push_back(t.rows[i]);
    j["preview"] = preview;
    j["delimiter"] = std::string(1, t.delimiter);
    j["blank_rows"] = t.blank_rows;
    j["invalid_utf8"] = t.invalid_utf8;
    return to_val(j);
  });
}

// The notebook's experiment. -> {report: <evaluate JSON>, handle, info}
val evaluate(std::string csv, std::string options_json, val progress) {
  return guard([&] {
    const auto o = parse_options(options_json);
    const tf::PipelineParams params = params_of(o);
    const tf::io::Table t = tf::io::read_table(csv, csv_options(o));
    const tf::Dataset data = tf::extract_dataset(t, columns_of(o, true));
    const tf::FitControl ctl = control_for(progress);
    std::function<void(const tf::eval::RoundResult&)> on_round;
    if (progress.typeOf().as<std::string>() == "function") {
      on_round = [progress](const tf::eval::RoundResult& r) {
        val x = val::object();
        x.set("kind", std::string("round"));
        x.set("round", r.round);
        x.set("criterion", r.criterion);
        x.set("n_estimators", r.n_estimators);
        x.set("accuracy", r.accuracy);
        x.set("v_measure", r.v_measure);
        progress(x);
      };
    }
    tf::EvaluateResult result = tf::evaluate(data, params, ctl, on_round);
    nlohmann::json report = result.to_json();
    // beyond the CLI's JSON: which round was kept (index into rounds) and the rows left out
    report["best_round"] = result.best_round;
    report["dropped_empty_label"] = result.dropped_empty_label;
    report["dropped_empty_text"] = result.dropped_empty_text;
    const int h = store(std::move(result.model));
    val out = val::object();
    out.set("report", to_val(report));
    out.set("info", model_info(h, g_models.at(h), false));
    out.set("handle", h);
    return out;
  });
}

// Fit on every labelled row (no split, no search). -> {handle, info, dropped_empty_label, dropped_empty_text}
val train(std::string csv, std::string options_json, val progress) {
  return guard([&] {
    const auto o = parse_options(options_json);
    const tf::PipelineParams params = params_of(o);
    const tf::io::Table t = tf::io::read_table(csv, csv_options(o));
    tf::Dataset data = tf::extract_dataset(t, columns_of(o, true));
    const tf::FitControl ctl = control_for(progress);
    tf::Model m = tf::Model::train(data, params, ctl);
    const int h = store(std::move(m));
    val out = val::object();
    out.set("info", model_info(h, g_models.at(h), false));
    out.set("handle", h);
    out.set("n_rows", static_cast<double>(data.texts.size()));
    out.set("dropped_empty_label", static_cast<double>(data.dropped_empty_label));
    return out;
  });
}

// Parallel training (issue 6). Every worker prepares the same data once (normalized texts and TF-IDF, as
// Model::train makes them), then grows the chunks of trees the caller hands out (whichever worker is free
// takes the next chunk); _merge joins the chunks in tree order. forest.random_state must be set (the caller
// draws one when it is None), so that every worker grows its share of the same forest.
struct Prepared {
  tf::PipelineParams params;
  std::vector<std::string> classes;
  tf::features::TfidfVectorizer vectorizer;
  std::optional<tf::forest::ForestData> data;
  std::size_t n_rows = 0;
};
std::unordered_map<int, Prepared> g_prepared;

// -> {session, n_rows}
val prepare(std::string csv, std::string options_json, val progress) {
  return guard([&] {
    const auto o = parse_options(options_json);
    Prepared p;
    p.params = params_of(o);
    if (!p.params.forest.random_state)
      throw tf::Error(tf::ErrorCode::invalid_parameter,
                      "Training in several workers needs a fixed forest.random_state.", "forest.random_state");
    const tf::io::Table t = tf::io::read_table(csv, csv_options(o));
    const tf::Dataset data = tf::extract_dataset(t, columns_of(o, true));
    const tf::FitControl ctl = control_for(progress);
    tf::TrainingSet set = tf::make_training_set(data, p.params, ctl);
    p.classes = std::move(set.classes);
    p.vectorizer = std::move(set.vectorizer);
    p.data.emplace(set.X, set.y, static_cast<int>(p.classes.size()));
    p.n_rows = set.y.size();
    ctl.progress(1.0, "tfidf");
    const int h = g_next_handle++;
    val out = val::object();
    out.set("session", h);
    out.set("n_rows", static_cast<double>(p.n_rows));
    g_prepared.emplace(h, std::move(p));
    return out;
  });
}

// Trees [first, first + count) of the session's forest -> Uint8Array: with model, a whole binary model
// file (the chunk that _merge takes first); else the forest alone (CBOR of its packed JSON).
val grow(int session, int first, int count, bool with_model, val progress) {
  return guard([&] {
    const auto it = g_prepared.find(session);
    if (it == g_prepared.end())
      throw tf::Error(tf::ErrorCode::internal, "This training session has ended.", "session");
    const Prepared& p = it->second;
    tf::forest::RandomForest forest(p.params.forest);
    forest.fit_trees(*p.data, first, count, control_for(progress));
    if (!with_model) return bytes_val(nlohmann::json::to_cbor(forest.to_json(tf::forest::TreeLayout::packed)));
    tf::PipelineParams used = p.params;
    used.forest = forest.params();
    tf::Model m(used, p.classes, p.vectorizer, std::move(forest));
    m.n_train_rows = p.n_rows;
    return bytes_val(m.save(tf::io::ModelEncoding::binary));
  });
}

bool release(int session) { return g_prepared.erase(session) > 0; }

// Model bytes come in as (address, length) of a copy that the caller made in the module's heap with
// _malloc and HEAPU8.set (runtime.js inHeap): Embind's std::string conversion of a Uint8Array copies a
// byte at a time in JS, about 10 ms per MB.
std::string_view heap_bytes(double address, double length) {
  return std::string_view(reinterpret_cast<const char*>(static_cast<std::uintptr_t>(address)),
                          static_cast<std::size_t>(length));
}

// addresses, lengths: the chunks' bytes (as _grow wrote them: a whole model first, then forests), in tree
// order -> {handle, info} of one model, as if one worker had grown every tree.
val merge(val addresses, val lengths) {
  return guard([&] {
    const auto at = emscripten::vecFromJSArray<double>(addresses), len = emscripten::vecFromJSArray<double>(lengths);
    const std::size_t n = at.size();
    if (n == 0 || len.size() != n) throw tf::Error(tf::ErrorCode::invalid_parameter, "Nothing to merge.", "parts");
    std::optional<tf::Model> first;
    std::optional<tf::forest::RandomForest> forest;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string source = "part " + std::to_string(i + 1);
      if (!first) {
        first.emplace(tf::Model::from_json(tf::io::decode_model(heap_bytes(at[i], len[i]), source)));
        forest.emplace(first->forest().params());
        forest->merge(first->forest());
        continue;
      }
      const nlohmann::json j = tf::io::decode_cbor(heap_bytes(at[i], len[i]));
      if (j.is_discarded()) throw tf::Error(tf::ErrorCode::internal, "A part of a parallel training is damaged.", source);
      forest->merge(tf::forest::RandomForest::from_json(j));
    }
    tf::PipelineParams params = first->params();
    params.forest.n_estimators = static_cast<int>(forest->n_trees());
    tf::Model m(params, first->labels(), first->vectorizer(), std::move(*forest));
    m.n_train_rows = first->n_train_rows;
    const int h = store(std::move(m));
    val out = val::object();
    out.set("info", model_info(h, g_models.at(h), false));
    out.set("handle", h);
    return out;
  });
}

// address, length: the model file's bytes (JSON text or CBOR) in the heap (see heap_bytes) -> {handle, info}
val load(double address, double length, std::string source) {
  return guard([&] {
    const nlohmann::json j = tf::io::decode_model(heap_bytes(address, length), source.empty() ? "model" : source);
    tf::Model m = tf::Model::from_json(j);
    const int h = store(std::move(m));
    val out = val::object();
    out.set("info", model_info(h, g_models.at(h), false));
    out.set("handle", h);
    return out;
  });
}

// texts: a JS array of strings -> {labels: [label per text], probabilities: Float64Array (n x n_classes)}
val predict(int handle, val texts) {
  return guard([&] {
    const tf::Model& m = model_at(handle);
    const auto input = emscripten::vecFromJSArray<std::string>(texts);
    const auto preds = m.predict(input);
    const std::size_t k = m.labels().size();
    std::vector<double> proba;
    proba.reserve(preds.size() * k);
    val labels = val::array();
    for (const auto& p : preds) {
      labels.call<void>("push", p.label);
      for (std::size_t c = 0; c < k; ++c) proba.push_back(c < p.probabilities.size() ? p.probabilities[c] : 0.0);
    }
    val out = val::object();
    out.set("labels", labels);
    out.set("probabilities",
            val::global("Float64Array").new_(emscripten::typed_memory_view(proba.size(), proba.data())));
    return out;
  });
}

// encoding: "json" | "binary" -> Uint8Array (a copy)
val save(int handle, std::string encoding) {
  return guard([&] {
    const tf::Model& m = model_at(handle);
    if (encoding != "json" && encoding != "binary")
      tf::throw_invalid_parameter("encoding", "\"json\" or \"binary\"", "\"" + encoding + "\"");
    const auto bytes = m.save(encoding == "json" ? tf::io::ModelEncoding::json : tf::io::ModelEncoding::binary);
    return bytes_val(bytes);
  });
}

val info(int handle) {
  return guard([&] { return model_info(handle, model_at(handle)); });
}

val model_json(int handle) {
  return guard([&] { return to_val(model_at(handle).to_json()); });
}

bool free_model(int handle) { return g_models.erase(handle) > 0; }

// Parameters as the core resolves them (defaults filled, validated): for UIs and tests.
val resolve_params(std::string params_json) {
  return guard([&] {
    nlohmann::json o = nlohmann::json::object();
    o["params"] = parse_options(params_json);
    return to_val(nlohmann::json(params_of(o)));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(titleforest) {
  emscripten::function("_version", &version);
  emscripten::function("_read_table", &read_table);
  emscripten::function("_evaluate", &evaluate);
  emscripten::function("_train", &train);
  emscripten::function("_load", &load);
  emscripten::function("_predict", &predict);
  emscripten::function("_save", &save);
  emscripten::function("_info", &info);
  emscripten::function("_model_json", &model_json);
  emscripten::function("_prepare", &prepare);
  emscripten::function("_grow", &grow);
  emscripten::function("_release", &release);
  emscripten::function("_merge", &merge);
  emscripten::function("_dispose", &free_model);  // not "_free": that is the C free() export
  emscripten::function("_resolve_params", &resolve_params);
}
