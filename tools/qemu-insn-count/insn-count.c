/*===- insn-count.c - Instructions executed between two markers ----------===//
 *
 * A QEMU TCG plugin: counts the guest instructions executed between each
 * entry of a begin marker function and the following entry of an end
 * marker function, e.g. around one model inference:
 *
 *   qemu-system-arm ... -plugin libinsn-count.so,begin=0x1234,end=0x1240,
 *                               out=counts.txt
 *
 * Every translated block adds its instruction count to a counter when it
 * starts executing (an inline operation: cheap and deterministic); the
 * first instruction of each marker samples the counter. A window's count
 * is the difference of the two samples minus the instructions of the end
 * marker's own block: it covers everything after the begin marker's block
 * (whose count is in the first sample) up to the end marker. The output
 * file gets one line per window and a total.
 *
 * With blocks=FILE, every translated block also counts the times it starts
 * inside a window (a callback: slower, as deterministic), and FILE gets one
 * line "ADDRESS INSTRUCTIONS EXECUTIONS" per block that ran in a window,
 * summed over the windows (the end marker's own block included): the
 * profile tools/qemu-insn-count/estimate_cycles.py weighs with llvm-mca.
 *
 *===----------------------------------------------------------------------===*/

#include <qemu-plugin.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t executed;
static uint64_t beginAddress, endAddress;
static uint64_t windowStart;
static int inWindow;
static char outPath[1024];
static FILE *out;
static uint64_t windows, total;

/* One translation of a block; a block translated again gets a new one. */
struct BlockProfile {
  uint64_t address, instructions, executions;
  struct BlockProfile *next;
};
static char blocksPath[1024];
static struct BlockProfile *blocks;

static void onBlock(unsigned int vcpu, void *data) {
  (void)vcpu;
  if (inWindow)
    ++((struct BlockProfile *)data)->executions;
}

static void onBegin(unsigned int vcpu, void *data) {
  (void)vcpu;
  (void)data;
  windowStart = executed;
  inWindow = 1;
}

static void onEnd(unsigned int vcpu, void *blockSize) {
  (void)vcpu;
  if (!inWindow)
    return;
  uint64_t count = executed - (uint64_t)(uintptr_t)blockSize - windowStart;
  fprintf(out, "window %" PRIu64 ": %" PRIu64 " instructions\n", windows,
          count);
  total += count;
  ++windows;
  inWindow = 0;
}

static void onTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t count = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                           &executed, count);
  if (blocksPath[0]) {
    struct BlockProfile *block = calloc(1, sizeof(*block));
    if (!block) {
      fprintf(stderr, "insn-count: out of memory\n");
      exit(1);
    }
    block->address = qemu_plugin_tb_vaddr(tb);
    block->instructions = count;
    block->next = blocks;
    blocks = block;
    qemu_plugin_register_vcpu_tb_exec_cb(tb, onBlock, QEMU_PLUGIN_CB_NO_REGS,
                                         block);
  }
  for (size_t i = 0; i < count; ++i) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t address = qemu_plugin_insn_vaddr(insn);
    if (address == beginAddress)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, onBegin,
                                             QEMU_PLUGIN_CB_NO_REGS, NULL);
    else if (address == endAddress)
      // The end marker's block was already counted when it started.
      qemu_plugin_register_vcpu_insn_exec_cb(
          insn, onEnd, QEMU_PLUGIN_CB_NO_REGS,
          (void *)(uintptr_t)(count - i));
  }
}

static void onExit(qemu_plugin_id_t id, void *data) {
  (void)id;
  (void)data;
  fprintf(out, "windows: %" PRIu64 ", total: %" PRIu64 " instructions\n",
          windows, total);
  fclose(out);
  if (!blocksPath[0])
    return;
  FILE *profile = fopen(blocksPath, "w");
  if (!profile) {
    fprintf(stderr, "insn-count: cannot write '%s'\n", blocksPath);
    return;
  }
  for (struct BlockProfile *block = blocks; block; block = block->next)
    if (block->executions)
      fprintf(profile, "0x%" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
              block->address, block->instructions, block->executions);
  fclose(profile);
}

/* Thumb function symbols carry the Thumb bit; instructions do not. */
static uint64_t parseAddress(const char *text) {
  return strtoull(text, NULL, 0) & ~(uint64_t)1;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
                                           const qemu_info_t *info, int argc,
                                           char **argv) {
  (void)info;
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "begin=", 6) == 0)
      beginAddress = parseAddress(argv[i] + 6);
    else if (strncmp(argv[i], "end=", 4) == 0)
      endAddress = parseAddress(argv[i] + 4);
    else if (strncmp(argv[i], "out=", 4) == 0)
      snprintf(outPath, sizeof(outPath), "%s", argv[i] + 4);
    else if (strncmp(argv[i], "blocks=", 7) == 0)
      snprintf(blocksPath, sizeof(blocksPath), "%s", argv[i] + 7);
    else {
      fprintf(stderr, "insn-count: unknown argument '%s'\n", argv[i]);
      return -1;
    }
  }
  if (!beginAddress || !endAddress || !outPath[0]) {
    fprintf(stderr, "insn-count: needs begin=ADDR,end=ADDR,out=FILE\n");
    return -1;
  }
  out = fopen(outPath, "w");
  if (!out) {
    fprintf(stderr, "insn-count: cannot write '%s'\n", outPath);
    return -1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, onTranslate);
  qemu_plugin_register_atexit_cb(id, onExit, NULL);
  return 0;
}
