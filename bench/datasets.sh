# Sourced by the benchmarks: set_dataset MODEL sets $train, $images and
# $labels to the calibration and test files of the model's dataset under
# $DATA (scripts/fetch-data.sh puts them there).
set_dataset() { # model name
  case $1 in
  mnist_*)
    train=$DATA/mnist/train-images-idx3-ubyte
    images=$DATA/mnist/t10k-images-idx3-ubyte
    labels=$DATA/mnist/t10k-labels-idx1-ubyte ;;
  fashion_*)
    train=$DATA/fashion-mnist/train-images-idx3-ubyte.gz
    images=$DATA/fashion-mnist/t10k-images-idx3-ubyte.gz
    labels=$DATA/fashion-mnist/t10k-labels-idx1-ubyte.gz ;;
  *)
    echo "set_dataset: no dataset for model '$1'" >&2
    return 1 ;;
  esac
}
