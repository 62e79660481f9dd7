// Runs a model compiled by tinyq-compile on raw float32 data: reads IN_SIZE
// floats from stdin, calls FN(input, output), writes OUT_SIZE floats to
// stdout. Build with -DFN=<name> -DIN_SIZE=<n> -DOUT_SIZE=<n>.
#include <stdio.h>
#include <stdlib.h>

void FN(const float *input, float *output);

int main(void) {
  static float input[IN_SIZE], output[OUT_SIZE];
  if (fread(input, sizeof(float), IN_SIZE, stdin) != IN_SIZE) {
    fprintf(stderr, "run-model: expected %d floats on stdin\n", IN_SIZE);
    return 1;
  }
  FN(input, output);
  if (fwrite(output, sizeof(float), OUT_SIZE, stdout) != OUT_SIZE)
    return 1;
  return 0;
}
