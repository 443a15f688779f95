// qemu TCG plugin (API version 1, what Debian's qemu 7.2 loads): counts executed guest
// instructions per handshake side. Two ways to mark the side, whenever it changes (0 = neither
// side, 1 = client, 2 = server); instructions are attributed to the side marked when they ran:
//   qemu-user    mtls-count issues a marker system call (number kMarkerSyscall, argument: side);
//   qemu-system  bare-metal firmware has no system calls: it calls one marker function per side,
//                whose addresses are given as marker0=ADDR, marker1=ADDR, marker2=ADDR (hex).
// At exit the plugin writes
//   {"none": N, "client": N, "server": N, "markers": N}
// to the file given as outfile=PATH. qemu ships no plugin header: the few declarations used are
// written out below, as qemu 7.2's API version 1 defines them.
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;  // not read
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 = 0 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
typedef void (*qemu_plugin_vcpu_syscall_cb_t)(qemu_plugin_id_t id, unsigned int vcpu_index,
                                              int64_t num, uint64_t a1, uint64_t a2, uint64_t a3,
                                              uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7,
                                              uint64_t a8);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void* userdata);
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS = 0 };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb* tb, enum qemu_plugin_op op,
                                              void* ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
struct qemu_plugin_insn* qemu_plugin_tb_get_insn(const struct qemu_plugin_tb* tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn* insn);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn* insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void* userdata);
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
static uint64_t marker_address[kSides];  // qemu-system markers (0: not given)
static int have_marker_addresses;

static void Credit(void) {
  per_side[current_side] += executed - credited_until;
  credited_until = executed;
}

static void SwitchSide(int side) {
  Credit();
  current_side = side;
  ++markers;
}

static void OnMarkerFunction(unsigned int vcpu, void* side) {
  (void)vcpu;
  SwitchSide((int)(intptr_t)side);
}

static void OnTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
  if (!have_marker_addresses) return;
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t address = qemu_plugin_insn_vaddr(insn);
    for (int side = 0; side < kSides; ++side) {
      if (address == marker_address[side]) {
        qemu_plugin_register_vcpu_insn_exec_cb(insn, OnMarkerFunction, QEMU_PLUGIN_CB_NO_REGS,
                                               (void*)(intptr_t)side);
      }
    }
  }
}

static void OnSyscall(qemu_plugin_id_t id, unsigned int vcpu, int64_t num, uint64_t a1, uint64_t a2,
                      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7,
                      uint64_t a8) {
  (void)id, (void)vcpu, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6, (void)a7, (void)a8;
  if (num != kMarkerSyscall || a1 >= kSides) return;
  SwitchSide((int)a1);
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
    int side;
    if (strncmp(argv[i], "outfile=", 8) == 0 && strlen(argv[i] + 8) < sizeof outfile) {
      strcpy(outfile, argv[i] + 8);
    } else if (sscanf(argv[i], "marker%d=", &side) == 1 && side >= 0 && side < kSides) {
      // Thumb function addresses carry the mode in bit 0; instructions do not.
      marker_address[side] = strtoull(strchr(argv[i], '=') + 1, NULL, 16) & ~(uint64_t)1;
      have_marker_addresses = 1;
    } else {
      fprintf(stderr, "insn_count: unknown argument '%s' (outfile=PATH, markerN=ADDR)\n", argv[i]);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, OnTranslate);
  qemu_plugin_register_vcpu_syscall_cb(id, OnSyscall);
  qemu_plugin_register_atexit_cb(id, OnExit, NULL);
  return 0;
}
