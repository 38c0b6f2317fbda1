"""The reference pipeline's stages in NLTK 3.8 / scikit-learn 1.2 (Debian), timed like titleforest_bench.

Run by scripts/bench.mjs with /usr/bin/python3 when python3-nltk and python3-sklearn are installed.
Prints one JSON object: {"stages": {stage: {"median_ms", "runs"}}, "forest", "trees", "peak_memory_mb", ...}.
"""
import argparse
import csv
import json
import pickle
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "fixtures"))

from load_punkt import load_english_punkt  # noqa: E402  (the project's copy, reading the project's data)
from nltk.stem import PorterStemmer  # noqa: E402
from nltk.tokenize.destructive import NLTKWordTokenizer  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import accuracy_score, v_measure_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

PUNKT = ROOT / "src" / "core" / "text" / "data" / "punkt_english"
STOP = set((ROOT / "src" / "core" / "text" / "data" / "stopwords-english.txt").read_text().split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="persona")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--trees", type=int, default=10)
    a = ap.parse_args()
    if a.data == "onet":
        with open(ROOT / "models/onet/alternate-titles.tsv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        texts = [r["Alternate Title"] for r in rows]
        labels = [r["O*NET-SOC Code"][:2] for r in rows]
    else:
        with open(ROOT / "models/persona/positions.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        texts = [r["positions"] for r in rows]
        labels = [r["label"] for r in rows]

    punkt, wt, stemmer = load_english_punkt(PUNKT), NLTKWordTokenizer(), PorterStemmer()

    def tok(s):
        return [t for sent in punkt.tokenize(s) for t in wt.tokenize(sent)]

    def normalize(s):
        words = [w.lower().strip() for w in tok(s)]
        words = [w for w in words if w not in STOP and len(w) > 1]
        return " ".join(stemmer.stem(t).lower() for t in tok(" ".join(words)) if t)

    stages = {}

    def timed(name, n, f):
        t = []
        out = None
        for _ in range(n):
            t0 = time.perf_counter()
            out = f()
            t.append((time.perf_counter() - t0) * 1000)
        stages[name] = {"median_ms": statistics.median(t), "runs": t}
        return out

    normalized = timed("normalize", a.runs, lambda: [normalize(s) for s in texts])
    params = dict(sublinear_tf=True, use_idf=True, smooth_idf=True, analyzer="word", stop_words="english",
                  max_features=100000, ngram_range=(1, 2), max_df=0.99, min_df=1)
    timed("tfidf.fit_transform", a.runs, lambda: TfidfVectorizer(**params).fit_transform(normalized))
    order = sorted(range(len(texts)), key=lambda i: labels[i])
    x = [normalized[i] for i in order if normalized[i]]
    y = [labels[i] for i in order if normalized[i]]
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.4, random_state=42)
    vec = TfidfVectorizer(**params)
    xtr, xte = vec.fit_transform(x_tr), vec.transform(x_te)
    clf = timed("forest.fit", 1, lambda: RandomForestClassifier(n_estimators=a.trees, random_state=0).fit(xtr, y_tr))
    pred = timed("forest.predict", a.runs, lambda: clf.predict(xte))
    print(json.dumps({
        "stages": stages, "trees": a.trees,
        "forest": {"accuracy": accuracy_score(y_te, pred), "v_measure": v_measure_score(y_te, pred)},
        "pickle_bytes": len(pickle.dumps(clf)),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
