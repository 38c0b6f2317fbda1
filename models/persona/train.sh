#!/bin/sh
# The bundled default model, trained from the example data by the project's own CLI: model.json (JSON
# text, to read) and model.tfm (the same model, binary: what the page loads, about a third of the size).
# Run by the native build (target `models`) whenever the CLI or the data changes:
#   sh train.sh path/to/titleforest       (from this folder)
set -eu
TITLEFOREST=${1:-titleforest}
for out in model.json model.tfm; do
  "$TITLEFOREST" train positions-titled.csv --header-row 2 --text positions --label label \
    --n-estimators 100 --criterion gini --random-state 42 --out "$out"
done
