// qemu TCG plugin (API version 1, what Debian's qemu-user 7.2 loads): counts executed guest
// instructions per handshake side. mtls-count issues a marker system call (number
// kMarkerSyscall, argument 0 = neither side, 1 = client, 2 = server) whenever the side changes;
// instructions are attributed to the side marked when they ran. At exit the plugin writes
//   {"none": N, "client": N, "server": N, "markers": N}
// to the file given as outfile=PATH. qemu ships no plugin header: the few declarations used are
// written out below, as qemu 7.2's API version 1 defines them.
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info_t qemu_info_t;  // not read
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 = 0 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
typedef void (*qemu_plugin_vcpu_syscall_cb_t)(qemu_plugin_id_t id, unsigned int vcpu_index,
                                              int64_t num, uint64_t a1, uint64_t a2, uint64_t a3,
                                              uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7,
                                              uint64_t a8);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb* tb, enum qemu_plugin_op op,
                                              void* ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
void qemu_plugin_register_vcpu_syscall_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_syscall_cb_t cb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void* userdata);

#define EXPORT __attribute__((visibility("default")))
EXPORT int qemu_plugin_version = 1;

enum { kSides = 3 };
static const int64_t kMarkerSyscall = 0x4d54;  // bench/instruction_markers.h
static const char* const kSideNames[kSides] = {"none", "client", "server"};

// Executed instructions so far (added inline per translation block: cheap, exact for the
// single-threaded handshake loop), and what each side has been credited with.
static uint64_t executed;
static uint64_t credited_until;
static uint64_t per_side[kSides];
static uint64_t markers;
static int current_side;
static char outfile[4096];

static void OnTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed,
                                           qemu_plugin_tb_n_insns(tb));
}

static void Credit(void) {
  per_side[current_side] += executed - credited_until;
  credited_until = executed;
}

static void OnSyscall(qemu_plugin_id_t id, unsigned int vcpu, int64_t num, uint64_t a1, uint64_t a2,
                      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7,
                      uint64_t a8) {
  (void)id, (void)vcpu, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6, (void)a7, (void)a8;
  if (num != kMarkerSyscall || a1 >= kSides) return;
  Credit();
  current_side = (int)a1;
  ++markers;
}

static void OnExit(qemu_plugin_id_t id, void* userdata) {
  (void)id, (void)userdata;
  Credit();
  FILE* out = outfile[0] != '\0' ? fopen(outfile, "w") : stderr;
  if (out == NULL) {
    fprintf(stderr, "insn_count: cannot write %s\n", outfile);
    return;
  }
  fprintf(out, "{");
  for (int side = 0; side < kSides; ++side) {
    fprintf(out, "\"%s\": %" PRIu64 ", ", kSideNames[side], per_side[side]);
  }
  fprintf(out, "\"markers\": %" PRIu64 "}\n", markers);
  if (out != stderr) fclose(out);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info, int argc,
                               char** argv) {
  (void)info;
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "outfile=", 8) == 0 && strlen(argv[i] + 8) < sizeof outfile) {
      strcpy(outfile, argv[i] + 8);
    } else {
      fprintf(stderr, "insn_count: unknown argument '%s' (outfile=PATH)\n", argv[i]);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, OnTranslate);
  qemu_plugin_register_vcpu_syscall_cb(id, OnSyscall);
  qemu_plugin_register_atexit_cb(id, OnExit, NULL);
  return 0;
}
