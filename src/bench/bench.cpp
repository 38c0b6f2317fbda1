// titleforest_bench: times the pipeline's stages on a data set, natively or as WebAssembly under node
// (the same source, built by both CMake builds). Prints one JSON object; scripts/bench.mjs runs both
// builds (and NLTK/sklearn when installed) and prints medians and ratios.
//   titleforest_bench --data persona|onet --runs N [--forest-runs N] [--trees N] [--project DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#else
#include <sys/resource.h>
#endif

#include "eval/metrics.h"
#include "eval/split.h"
#include "features/tfidf.h"
#include "forest/forest.h"
#include "io/model_io.h"
#include "io/table.h"
#include "pipeline.h"
#include "text/normalizer.h"

namespace {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double peak_memory_mb() {
#ifdef __EMSCRIPTEN__
  return static_cast<double>(emscripten_get_heap_size()) / (1024.0 * 1024.0);  // the grown linear memory
#else
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
#endif
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = "persona", project = ".";
  int runs = 5, forest_runs = 3, trees = 100;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--data") data = v;
    else if (k == "--runs") runs = std::atoi(v.c_str());
    else if (k == "--forest-runs") forest_runs = std::atoi(v.c_str());
    else if (k == "--trees") trees = std::atoi(v.c_str());
    else if (k == "--project") project = v;
    else { std::cerr << "unknown flag " << k << "\n"; return 2; }
  }
  try {
    nlohmann::json out;
    out["data"] = data;
#ifdef __EMSCRIPTEN__
    out["build"] = "wasm";
#else
    out["build"] = "native";
#endif
    std::vector<std::pair<std::string, std::vector<double>>> times;
    auto time = [&](const std::string& stage, int n, const std::function<void()>& f) {
      std::vector<double> t;
      for (int r = 0; r < n; ++r) {
        double t0 = now_ms();
        f();
        t.push_back(now_ms() - t0);
      }
      times.emplace_back(stage, t);
    };

    const bool onet = data == "onet";
    const std::string path = project + (onet ? "/models/onet/alternate-titles.tsv" : "/models/persona/positions.csv");
    const std::string bytes = slurp(path);
    tf::io::Table table;
    time("read", runs, [&] { table = tf::io::read_table(bytes, {0, 1, path}); });

    tf::Dataset ds;
    if (onet) {  // label = SOC major group (first two digits of the O*NET-SOC code)
      const auto tc = table.column("Alternate Title"), lc = table.column("O*NET-SOC Code");
      for (const auto& row : table.rows) {
        ds.texts.push_back(row[tc]);
        ds.labels.push_back(row[lc].substr(0, 2));
      }
    } else {
      ds = tf::extract_dataset(table, {{"positions"}, "label"});
    }
    out["rows"] = ds.texts.size();

    tf::PipelineParams params;
    tf::text::Normalizer normalize(params.preprocess);
    std::vector<std::string> normalized;
    time("normalize", runs, [&] {
      normalized.clear();
      normalized.reserve(ds.texts.size());
      for (const auto& t : ds.texts) normalized.push_back(normalize(t));
    });

    tf::SparseMatrix X;
    std::size_t n_terms = 0;
    time("tfidf.fit_transform", runs, [&] {
      tf::features::TfidfVectorizer v(params.tfidf);
      X = v.fit_transform(normalized);
      n_terms = v.n_features();
    });
    out["tfidf"] = {{"rows", X.rows()}, {"terms", n_terms}, {"nnz", X.nonZeros()}};

    // The notebook's split of the notebook's order, then a forest on the training rows.
    std::vector<std::size_t> order(ds.texts.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return ds.labels[a] < ds.labels[b]; });
    std::vector<std::string> classes, docs_train, docs_test;
    std::vector<int> y_all;
    for (auto i : order)
      if (std::find(classes.begin(), classes.end(), ds.labels[i]) == classes.end()) classes.push_back(ds.labels[i]);
    std::sort(classes.begin(), classes.end());
    std::vector<std::string> ordered_docs;
    for (auto i : order) {
      if (normalized[i].empty()) continue;
      ordered_docs.push_back(normalized[i]);
      y_all.push_back(static_cast<int>(std::lower_bound(classes.begin(), classes.end(), ds.labels[i]) - classes.begin()));
    }
    const auto split = tf::eval::train_test_split(ordered_docs.size(), params.split, y_all);
    std::vector<int> y_train, y_test;
    for (auto i : split.train) { docs_train.push_back(ordered_docs[i]); y_train.push_back(y_all[i]); }
    for (auto i : split.test) { docs_test.push_back(ordered_docs[i]); y_test.push_back(y_all[i]); }
    tf::features::TfidfVectorizer vec(params.tfidf);
    const tf::SparseMatrix Xtr = vec.fit_transform(docs_train), Xte = vec.transform(docs_test);
    out["split"] = {{"n_train", Xtr.rows()}, {"n_test", Xte.rows()}, {"n_features", Xtr.cols()},
                    {"n_classes", classes.size()}};

    tf::forest::ForestParams fp = params.forest;
    fp.n_estimators = trees;
    fp.random_state = 0;
    tf::forest::RandomForest forest(fp);
    time("forest.fit", forest_runs, [&] {
      forest = tf::forest::RandomForest(fp);
      forest.fit(Xtr, y_train, static_cast<int>(classes.size()));
    });
#ifndef __EMSCRIPTEN__
    {  // the same forest on 2 native threads: what 2 cores of this machine give at best (2 workers' ceiling)
      tf::forest::ForestParams fp2 = fp;
      fp2.n_jobs = 2;
      std::vector<double> t2;
      for (int r = 0; r < forest_runs; ++r) {
        tf::forest::RandomForest f2(fp2);
        const double t0 = now_ms();
        f2.fit(Xtr, y_train, static_cast<int>(classes.size()));
        t2.push_back(now_ms() - t0);
      }
      out["forest_fit_2_threads_ms"] = median(t2);
    }
#endif
    std::vector<int> pred;
    time("forest.predict", runs, [&] { pred = forest.predict(Xte); });
    out["forest"] = {{"trees", trees},
                     {"accuracy", tf::eval::accuracy_score(y_test, pred)},
                     {"v_measure", tf::eval::homogeneity_completeness_v_measure(y_test, pred).v_measure}};
    out["peak_memory_mb_before_save"] = peak_memory_mb();  // data, matrices, forest; before any model file
    tf::Model model(params, classes, vec, forest);
    std::vector<std::uint8_t> bin_bytes;
    time("model.save binary", forest_runs, [&] { bin_bytes = model.save(tf::io::ModelEncoding::binary); });
    const std::string bin_text(bin_bytes.begin(), bin_bytes.end());
    time("model.load binary", forest_runs,
         [&] { tf::Model back = tf::Model::from_json(tf::io::decode_model(bin_text, "bench")); });
    out["peak_memory_mb_binary"] = peak_memory_mb();  // the above, and a binary save and load
    // JSON text: nlohmann builds one value per node first; that is what makes this step large
    const auto json_bytes = model.save(tf::io::ModelEncoding::json);
    out["model_bytes"] = {{"json", json_bytes.size()}, {"binary", bin_bytes.size()}};

    for (const auto& [stage, t] : times) out["stages"][stage] = {{"median_ms", median(t)}, {"runs", t}};
    out["peak_memory_mb"] = peak_memory_mb();
    std::cout << out.dump() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "titleforest_bench: " << e.what() << "\n";
    return 1;
  }
}
