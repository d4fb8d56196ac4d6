#!/usr/bin/env bash
# `make demo-train`: pack the demo's documents and pretrain the tiny preset on them, on CPU, in under
# a minute; ends with the loss plot and a text sample.
#
#   scripts/demo_train.sh [VENV_BIN]        # VENV_BIN defaults to .venv/bin
#
# Steps (each one a corpusforge command a trainer would type):
#   1. `corpusforge demo` if runs/demo holds no finished run;
#   2. the run's final documents: pack finds its write.parquet shards through the run manifest;
#   3. `corpusforge tokenizer train` (a small BPE) and `corpusforge pack` into runs/demo-train/packed;
#   4. `corpusforge train tiny`, then `corpusforge train plot` and `corpusforge generate`.
# Environment overrides: DEMO_RUN (runs/demo), DEMO_TRAIN_OUT (runs/demo-train), DEMO_TRAIN_STEPS (200).
set -euo pipefail

BIN="${1:-.venv/bin}"
BIN="$(cd "$BIN" && pwd)"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CF="$BIN/corpusforge"
RUN="${DEMO_RUN:-runs/demo}"
OUT="${DEMO_TRAIN_OUT:-runs/demo-train}"
STEPS="${DEMO_TRAIN_STEPS:-200}"
export RAY_AUTH_MODE="${RAY_AUTH_MODE:-disabled}"

if [ ! -f "$RUN/manifest.json" ]; then
    echo "== no finished demo run in $RUN: running corpusforge demo"
    "$CF" demo --quiet --root "$RUN"
fi

INPUT="$RUN"  # pack reads the final documents of a run (its write.parquet sink) from the run manifest
echo "== documents: $INPUT"

"$CF" tokenizer train "$INPUT" --vocab-size "${DEMO_VOCAB:-512}" --out "$OUT/tokenizer"
"$CF" pack "$INPUT" --tokenizer "$OUT/tokenizer" --out "$OUT/packed" \
    --seq-len 128 --val-fraction 0.1 --executor local --fresh

echo "== training the tiny preset for $STEPS steps on 2 CPU threads"
"$CF" train tiny --data "$OUT/packed" --out "$OUT/tiny" --steps "$STEPS" --device cpu \
    --set run.threads=2 --set run.eval_every=20 --set run.checkpoint_every=100 --set run.sample_tokens=0 \
    --set model.dropout=0.1

echo "== loss plot"
"$CF" train plot "$OUT/tiny"
echo "== sample: corpusforge generate --checkpoint $OUT/tiny --prompt 'La biblioteca'"
"$CF" generate --checkpoint "$OUT/tiny" --prompt "La biblioteca" --max-new-tokens 60 --seed 1
