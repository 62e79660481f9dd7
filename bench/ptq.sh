#!/usr/bin/env bash
# Post-training quantization of every model in models/onnx into the integer
# models tinyq-compile ships, evaluated on the full 10k test sets: for each
# range-setting method, with and without cross-layer equalization (--cle)
# and bias correction (--bias-correction), at W8A8, W4A8 and W4A4 per
# channel and W8A8 / W4A8 per tensor; calibration on the first 1000
# training images. Also: how often the simulated models' top-1 predictions
# agree with the integer models', and the CNN's calibration and compile
# times. Writes docs/results/ptq.md (about 25 minutes on 2 cores; not part
# of the test suite). BIN may point at a copy of the tools, so that building
# can go on meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BIN=${BIN:-$BUILD_DIR/bin}
DATA="$BUILD_DIR/data"
OUT=${OUT:-docs/results/ptq.md}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SCALE=0.00392156862745098
PYTHON=/usr/bin/python3

bash scripts/build.sh >/dev/null
bash scripts/fetch-data.sh >/dev/null

methods=(minmax meanmax percentile mse kl)
# weight bits, activation bits, per-tensor
configs=("8 8 false" "4 8 false" "4 4 false" "8 8 true" "4 8 true")
label() { echo "W$1A$2$([[ $3 == true ]] && echo ' per-tensor' || true)"; }
flags() { echo "--weights i$1 --activations i$2$([[ $3 == true ]] && echo ' --per-tensor' || true)"; }

source bench/datasets.sh

accuracy() { # tinyq-run arguments...; prints the accuracy
  "$BIN/tinyq-run" "$@" --data "$images" --labels "$labels" \
    --input-scale $SCALE 2>/dev/null | sed -n 's/^accuracy: \([0-9.]*\).*/\1/p'
}

agreement() { # a.npy b.npy
  "$PYTHON" -c "import numpy as np, sys; a, b = np.load(sys.argv[1]), np.load(sys.argv[2]); print('%d/%d' % ((a.argmax(1) == b.argmax(1)).sum(), len(a)))" "$1" "$2"
}

median_seconds() { # command...; median wall time of 3 runs
  for _ in 1 2 3; do
    /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1
  done | sort -n | sed -n 2p
}

header="| model | pipeline | FP32 |"
rule="|---|---|---|"
for config in "${configs[@]}"; do
  header+=" $(label $config) |"
  rule+="---|"
done
echo "$header" > "$WORK/table.md"
echo "$rule" >> "$WORK/table.md"
echo "| model | precision | integer | simulated | top-1 agreement |" > "$WORK/agree.md"
echo "|---|---|---|---|---|" >> "$WORK/agree.md"

for model in models/onnx/*.onnx; do
  name=$(basename "$model" .onnx)
  set_dataset "$name"
  fp32=$(accuracy "$model")
  variants=("" "--cle" "--bias-correction" "--cle --bias-correction")
  # CLE and bias correction act on convolutions only.
  [[ $name == *_mlp ]] && variants=("")
  for method in "${methods[@]}"; do
    for variant in "${variants[@]}"; do
      pipeline="$method${variant:+ $variant}"
      row="| $name | $pipeline | $fp32 |"
      for config in "${configs[@]}"; do
        echo "$name $pipeline $(label $config)" >&2
        output=()
        [[ $method == minmax && -z $variant ]] &&
          output=(--output "$WORK/int-$(echo $config | tr ' ' -).npy")
        # shellcheck disable=SC2046
        row+=" $(accuracy "$model" --calibration "$train" \
          --calibration-samples 1000 --calibration-method $method \
          $(flags $config) $variant "${output[@]}") |"
      done
      echo "$row" >> "$WORK/table.md"
    done
  done

  # Simulated vs integer, min-max calibration.
  "$BIN/tinyq-compile" "$model" --emit=calibrated -o "$WORK/calibrated.mlir" \
    --calibration "$train" --calibration-samples 1000 --input-scale $SCALE \
    2>/dev/null
  for config in "8 8 false" "4 8 false" "4 4 false"; do
    read -r wbits abits pertensor <<<"$config"
    "$BIN/tinyq-opt" "$WORK/calibrated.mlir" -o "$WORK/simulated.mlir" \
      --tinyq-simulate-quantization="weight-bits=$wbits activation-bits=$abits per-tensor=$pertensor"
    simulated=$(accuracy "$WORK/simulated.mlir" --output "$WORK/sim.npy")
    integer=$(accuracy "$model" --calibration "$train" \
      --calibration-samples 1000 $(flags $config))
    echo "| $name | $(label $config) | $integer | $simulated | $(agreement \
      "$WORK/int-$(echo $config | tr ' ' -).npy" "$WORK/sim.npy") |" >> "$WORK/agree.md"
  done
done

# Calibration and compile times of the MNIST CNN.
set_dataset mnist_cnn
echo "| step | seconds (median of 3) |" > "$WORK/times.md"
echo "|---|---|" >> "$WORK/times.md"
echo "| import to TOSA, float object (no quantization) | $(median_seconds "$BIN/tinyq-compile" models/onnx/mnist_cnn.onnx -o "$WORK/float.o") |" >> "$WORK/times.md"
for method in "${methods[@]}"; do
  echo "| import + calibration, $method, 1000 images | $(median_seconds "$BIN/tinyq-compile" models/onnx/mnist_cnn.onnx --emit=calibrated --calibration "$train" --calibration-samples 1000 --calibration-method $method --input-scale $SCALE -o "$WORK/c.mlir") |" >> "$WORK/times.md"
done
echo "| whole tinyq-compile, minmax W8A8, object + header | $(median_seconds "$BIN/tinyq-compile" models/onnx/mnist_cnn.onnx --calibration "$train" --calibration-samples 1000 --input-scale $SCALE -o "$WORK/q.o" --header "$WORK/q.h") |" >> "$WORK/times.md"
echo "| whole tinyq-compile, minmax W8A8 + CLE + bias correction | $(median_seconds "$BIN/tinyq-compile" models/onnx/mnist_cnn.onnx --calibration "$train" --calibration-samples 1000 --input-scale $SCALE --cle --bias-correction -o "$WORK/q.o") |" >> "$WORK/times.md"

{
  echo "# Post-training quantization: the integer models"
  echo
  echo "Generated by \`bash bench/ptq.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores)."
  echo "Each cell is the top-1 accuracy on the full 10k test set of the"
  echo "all-integer model \`tinyq-compile\` ships (evaluated by \`tinyq-run\`"
  echo "with the same flags: the same entry point, JIT-compiled),"
  echo "calibrated on the first 1000 training images. Activations are"
  echo "asymmetric per tensor; weights symmetric, per output channel unless"
  echo "marked per-tensor. Pipelines: the range-setting method, then"
  echo "\`--cle\` (cross-layer equalization) and \`--bias-correction\`"
  echo "(empirical bias correction), which act on convolutions only and so"
  echo "are not run on the MLPs. FP32 is TinyQ's float model. W2A8 exists in"
  echo "simulation only: see [ptq-simulated.md](ptq-simulated.md)."
  echo
  cat "$WORK/table.md"
  echo
  echo "## Best pipelines"
  echo
  echo "Per model and per-channel precision, the pipeline with the best"
  echo "accuracy in the table above and its loss against FP32 (negative:"
  echo "a gain), by \`bench/ptq_summary.py\`."
  echo
  "$PYTHON" bench/ptq_summary.py "$WORK/table.md"
  echo
  echo "## Simulated versus integer"
  echo
  echo "Min-max calibration; the simulated model is"
  echo "\`tinyq-simulate-quantization\` of the calibrated float model, run in"
  echo "float. Agreement counts the test images on which both predict the"
  echo "same class."
  echo
  cat "$WORK/agree.md"
  echo
  echo "## Calibration and compile time (MNIST CNN)"
  echo
  echo "Wall time of whole \`tinyq-compile\` commands (import, graph"
  echo "preparation, calibration JIT-compiling and running the float model"
  echo "over 1000 images, quantization, lowering, code generation)."
  echo
  cat "$WORK/times.md"
} > "$WORK/ptq.md"
cp "$WORK/ptq.md" "$OUT"
echo "wrote $OUT" >&2
