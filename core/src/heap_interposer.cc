// Replaces the C allocator entry points of the process (symbol interposition: libssl and
// libcrypto resolve malloc to these) and forwards to glibc's implementations, reporting usable
// sizes to heap_accounting. Linked only into binaries that measure memory.
#include <malloc.h>

#include <cerrno>
#include <cstddef>

#include "mtls/heap_accounting.h"

#if !MTLS_SANITIZER_OWNS_ALLOCATOR
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* pointer, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
void __libc_free(void* pointer);

int mtls_heap_interposer_linked() { return 1; }

namespace {
void* Track(void* pointer) {
  if (pointer != nullptr) mtls::heap::RecordAllocation(malloc_usable_size(pointer));
  return pointer;
}
}  // namespace

void* malloc(size_t size) { return Track(__libc_malloc(size)); }
void* calloc(size_t count, size_t size) { return Track(__libc_calloc(count, size)); }

void free(void* pointer) {
  if (pointer == nullptr) return;
  mtls::heap::RecordFree(malloc_usable_size(pointer));
  __libc_free(pointer);
}

void* realloc(void* pointer, size_t size) {
  const size_t old_size = pointer != nullptr ? malloc_usable_size(pointer) : 0;
  void* moved = __libc_realloc(pointer, size);
  if (moved == nullptr && size != 0) return nullptr;  // the old block is still valid and owned
  if (pointer != nullptr) mtls::heap::RecordFree(old_size);
  return Track(moved);
}

void* memalign(size_t alignment, size_t size) { return Track(__libc_memalign(alignment, size)); }
void* aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void** out, size_t alignment, size_t size) {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* pointer = memalign(alignment, size);
  if (pointer == nullptr) return ENOMEM;
  *out = pointer;
  return 0;
}
}  // extern "C"
#endif
