// Runs a model compiled by tinyq-compile through its generated header: for
// each input tensor of raw IN_TYPE elements on stdin, calls
// NAME<ENTRY>(input, output, arena) and writes the output's raw OUT_TYPE
// elements to stdout. The arena starts filled with garbage and is followed
// by guard bytes that must survive every call (the header's arena size is
// enough). Build with -include <header> -DNAME=<name> -DPREFIX=<NAME>
// -DENTRY=_run|_run_float -DIN_TYPE=<type> -DOUT_TYPE=<type>. With
// -DINPUT_FILE="..." -DOUTPUT_FILE="..." it reads and writes those files
// instead (on a bare-metal core, host files through semihosting). With
// -DBENCH_MARKERS each call runs between tinyq_bench_begin() and
// tinyq_bench_end() (runtime/cortex-m/markers.c), which
// tools/qemu-insn-count counts between.
#include <stdio.h>
#include <string.h>

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define IN_SIZE CAT(PREFIX, _INPUT_SIZE)
#define OUT_SIZE CAT(PREFIX, _OUTPUT_SIZE)
#define ARENA_SIZE CAT(PREFIX, _ARENA_SIZE)
#define ARENA_ALIGNMENT CAT(PREFIX, _ARENA_ALIGNMENT)
#define GUARD_SIZE 64

static _Alignas(ARENA_ALIGNMENT) unsigned char arena[ARENA_SIZE + GUARD_SIZE];

#ifdef BENCH_MARKERS
void tinyq_bench_begin(void);
void tinyq_bench_end(void);
#else
static void tinyq_bench_begin(void) {}
static void tinyq_bench_end(void) {}
#endif

int main(void) {
  static IN_TYPE input[IN_SIZE];
  static OUT_TYPE output[OUT_SIZE];
  memset(arena, 0xA5, sizeof(arena));
#ifdef INPUT_FILE
  FILE *in = fopen(INPUT_FILE, "rb"), *out = fopen(OUTPUT_FILE, "wb");
  if (!in || !out) {
    fprintf(stderr, "run-model: cannot open %s or %s\n", INPUT_FILE,
            OUTPUT_FILE);
    return 1;
  }
#else
  FILE *in = stdin, *out = stdout;
#endif
  long samples = 0;
  size_t count;
  while ((count = fread(input, sizeof(IN_TYPE), IN_SIZE, in)) == IN_SIZE) {
    tinyq_bench_begin();
    CAT(NAME, ENTRY)(input, output, arena);
    tinyq_bench_end();
    for (int i = ARENA_SIZE; i < ARENA_SIZE + GUARD_SIZE; ++i)
      if (arena[i] != 0xA5) {
        fprintf(stderr, "run-model: the model wrote past its arena\n");
        return 1;
      }
    if (fwrite(output, sizeof(OUT_TYPE), OUT_SIZE, out) != OUT_SIZE)
      return 1;
    ++samples;
  }
  if (count != 0 || samples == 0) {
    fprintf(stderr, "run-model: expected whole inputs of %d elements\n",
            IN_SIZE);
    return 1;
  }
  return fclose(out) == 0 ? 0 : 1;
}
