// Classifies MNIST test images with a model compiled by tinyq-compile:
//
//   tinyq-compile models/onnx/mnist_cnn.onnx --calibration TRAIN_IMAGES \
//       --input-scale 0.00392156862745098 --name mnist -o mnist.o \
//       --header mnist.h
//   cc -O2 -I. examples/classify-mnist.c mnist.o -o classify-mnist
//   ./classify-mnist t10k-images-idx3-ubyte t10k-labels-idx1-ubyte
//
// The program quantizes each image with the scale and zero point the header
// gives, runs the integer entry point mnist_run in a static arena, and
// takes the largest int8 logit as the class (the scale is positive, so the
// order of the quantized logits is the order of the real ones).
#include "mnist.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(MNIST_ARENA_ALIGNMENT) unsigned char arena[MNIST_ARENA_SIZE];

/// Reads an IDX file (big-endian header, unsigned bytes) whole; returns its
/// payload and the number of items (first dimension).
static unsigned char *readIdx(const char *path, long *items, long *itemSize) {
  FILE *file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "classify-mnist: cannot open %s\n", path);
    return NULL;
  }
  unsigned char magic[4];
  if (fread(magic, 1, 4, file) != 4 || magic[0] || magic[1] || magic[2] != 8) {
    fprintf(stderr, "classify-mnist: %s is not an uncompressed IDX file\n",
            path);
    fclose(file);
    return NULL;
  }
  long size = 1;
  for (int d = 0; d < magic[3]; ++d) {
    unsigned char dim[4];
    if (fread(dim, 1, 4, file) != 4) {
      fclose(file);
      return NULL;
    }
    long extent = ((long)dim[0] << 24) | (dim[1] << 16) | (dim[2] << 8) | dim[3];
    if (d == 0)
      *items = extent;
    else
      size *= extent;
  }
  *itemSize = size;
  unsigned char *data = malloc((size_t)(*items * size));
  if (!data || fread(data, 1, (size_t)(*items * size), file) !=
                   (size_t)(*items * size)) {
    fprintf(stderr, "classify-mnist: %s is truncated\n", path);
    free(data);
    data = NULL;
  }
  fclose(file);
  return data;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: classify-mnist IMAGES LABELS\n");
    return 2;
  }
  long images, imageSize, labels, labelSize;
  unsigned char *pixels = readIdx(argv[1], &images, &imageSize);
  unsigned char *classes = readIdx(argv[2], &labels, &labelSize);
  if (!pixels || !classes)
    return 1;
  if (imageSize != MNIST_INPUT_SIZE || labels != images) {
    fprintf(stderr, "classify-mnist: expected %d-pixel images, one label "
                    "each\n", MNIST_INPUT_SIZE);
    return 1;
  }

  int8_t input[MNIST_INPUT_SIZE], logits[MNIST_OUTPUT_SIZE];
  long correct = 0;
  clock_t start = clock();
  for (long i = 0; i < images; ++i) {
    for (int p = 0; p < MNIST_INPUT_SIZE; ++p) {
      float real = pixels[i * imageSize + p] / 255.0f;
      long q = lrintf(real / MNIST_INPUT_SCALE) + MNIST_INPUT_ZERO_POINT;
      input[p] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
    }
    mnist_run(input, logits, arena);
    int best = 0;
    for (int c = 1; c < MNIST_OUTPUT_SIZE; ++c)
      if (logits[c] > logits[best])
        best = c;
    correct += best == classes[i];
  }
  double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
  printf("accuracy: %.4f (%ld/%ld)\n", (double)correct / images, correct,
         images);
  printf("%.1f us per image, arena %d bytes\n", 1e6 * seconds / images,
         MNIST_ARENA_SIZE);
  free(pixels);
  free(classes);
  return 0;
}
