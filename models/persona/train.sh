#!/bin/sh
# The bundled default model (model.json), trained from the example data by the project's own CLI.
# Run by the native build (target `models`) whenever the CLI or the data changes:
#   sh train.sh path/to/titleforest       (from this folder)
set -eu
TITLEFOREST=${1:-titleforest}
"$TITLEFOREST" train positions-titled.csv --header-row 2 --text positions --label label \
  --n-estimators 100 --criterion gini --random-state 42 --out model.json
