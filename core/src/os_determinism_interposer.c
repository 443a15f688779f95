// The C library's entropy and wall-clock entry points, defined in the executable so that they take
// precedence over libc's for every library (shared or static). They forward to libc until
// UseDeterministicOsInputs() (mtls/os_determinism.h) is called. Written in C: the definitions must
// match libc's declarations exactly, which C++ exception specifications get in the way of.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

extern int mtls_os_deterministic;
// The virtual time of the DTLS link this thread drives, if any (mtls/virtual_clock.h).
struct MtlsVirtualClock {
  int64_t start_us;
  const int64_t* elapsed_us;
};
extern _Thread_local const struct MtlsVirtualClock* mtls_thread_virtual_clock;
const int mtls_clock_interposed = 1;
extern const int64_t mtls_os_deterministic_unix_time;
void mtls_os_entropy_fill(void* out, size_t size);

// Bytes behind each opened /dev/urandom: enough for any seed a library reads per open.
enum { kDeviceBytes = 4096 };

static void* NextSymbol(const char* name) {
  void* symbol = dlsym(RTLD_NEXT, name);
  if (symbol == NULL) abort();  // libc without it: nothing sensible to fall back to
  return symbol;
}

ssize_t getrandom(void* buffer, size_t length, unsigned int flags) {
  if (mtls_os_deterministic) {
    mtls_os_entropy_fill(buffer, length);
    return (ssize_t)length;
  }
  static ssize_t (*real)(void*, size_t, unsigned int);
  if (real == NULL) real = (ssize_t(*)(void*, size_t, unsigned int))NextSymbol("getrandom");
  return real(buffer, length, flags);
}

int getentropy(void* buffer, size_t length) {
  if (mtls_os_deterministic) {
    if (length > 256) {  // the limit getentropy documents
      errno = EIO;
      return -1;
    }
    mtls_os_entropy_fill(buffer, length);
    return 0;
  }
  static int (*real)(void*, size_t);
  if (real == NULL) real = (int (*)(void*, size_t))NextSymbol("getentropy");
  return real(buffer, length);
}

long syscall(long number, ...) {
  long args[6];
  va_list list;
  va_start(list, number);
  for (int i = 0; i < 6; ++i) args[i] = va_arg(list, long);
  va_end(list);
  if (number == SYS_getrandom && mtls_os_deterministic) {
    mtls_os_entropy_fill((void*)args[0], (size_t)args[1]);
    return args[1];
  }
  static long (*real)(long, ...);
  if (real == NULL) real = (long (*)(long, ...))NextSymbol("syscall");
  return real(number, args[0], args[1], args[2], args[3], args[4], args[5]);
}

static int IsEntropyDevice(const char* path) {
  return path != NULL && (strcmp(path, "/dev/urandom") == 0 || strcmp(path, "/dev/random") == 0);
}

// An anonymous file holding the next kDeviceBytes of the stream, read like the device.
static int OpenDeterministicDevice(void) {
  unsigned char bytes[kDeviceBytes];
  mtls_os_entropy_fill(bytes, sizeof bytes);
  int fd = memfd_create("mtls-deterministic-entropy", MFD_CLOEXEC);
  if (fd < 0) return -1;
  if (write(fd, bytes, sizeof bytes) != (ssize_t)sizeof bytes || lseek(fd, 0, SEEK_SET) != 0) {
    close(fd);
    errno = EIO;
    return -1;
  }
  return fd;
}

static int OpenWith(const char* name, int (**real)(const char*, int, ...), const char* path,
                    int flags, va_list list) {
  if (mtls_os_deterministic && IsEntropyDevice(path)) return OpenDeterministicDevice();
  mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(list, mode_t) : 0;
  if (*real == NULL) *real = (int (*)(const char*, int, ...))NextSymbol(name);
  return (*real)(path, flags, mode);
}

int open(const char* path, int flags, ...) {
  static int (*real)(const char*, int, ...);
  va_list list;
  va_start(list, flags);
  int fd = OpenWith("open", &real, path, flags, list);
  va_end(list);
  return fd;
}

int open64(const char* path, int flags, ...) {
  static int (*real)(const char*, int, ...);
  va_list list;
  va_start(list, flags);
  int fd = OpenWith("open64", &real, path, flags, list);
  va_end(list);
  return fd;
}

// The deterministic clock: microseconds since kDeterministicUnixTime, one more per reading.
static int64_t NextMicros(void) {
  static int64_t ticks;
  return mtls_os_deterministic_unix_time * 1000000 + ++ticks;
}

// Microseconds of wall time this thread should see instead of the system's, or -1.
static int64_t VirtualMicros(void) {
  const struct MtlsVirtualClock* clock = mtls_thread_virtual_clock;
  return clock == NULL ? -1 : clock->start_us + *clock->elapsed_us;
}

static int IsWallOrMonotonic(clockid_t clock) {
  return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC ||
         clock == CLOCK_MONOTONIC_COARSE || clock == CLOCK_MONOTONIC_RAW || clock == CLOCK_BOOTTIME;
}

int clock_gettime(clockid_t clock, struct timespec* now) {
  if ((mtls_thread_virtual_clock != NULL || mtls_os_deterministic) && IsWallOrMonotonic(clock)) {
    const int64_t virtual_micros = VirtualMicros();
    const int64_t micros = virtual_micros >= 0 ? virtual_micros : NextMicros();
    now->tv_sec = (time_t)(micros / 1000000);
    now->tv_nsec = (long)(micros % 1000000) * 1000;
    return 0;
  }
  static int (*real)(clockid_t, struct timespec*);
  if (real == NULL) real = (int (*)(clockid_t, struct timespec*))NextSymbol("clock_gettime");
  return real(clock, now);
}

int gettimeofday(struct timeval* restrict now, void* restrict zone) {
  if (mtls_thread_virtual_clock != NULL || mtls_os_deterministic) {
    const int64_t virtual_micros = VirtualMicros();
    const int64_t micros = virtual_micros >= 0 ? virtual_micros : NextMicros();
    now->tv_sec = (time_t)(micros / 1000000);
    now->tv_usec = (suseconds_t)(micros % 1000000);
    return 0;
  }
  static int (*real)(struct timeval*, void*);
  if (real == NULL) real = (int (*)(struct timeval*, void*))NextSymbol("gettimeofday");
  return real(now, zone);
}

time_t time(time_t* out) {
  if (mtls_thread_virtual_clock != NULL || mtls_os_deterministic) {
    const int64_t virtual_micros = VirtualMicros();
    const time_t now = (time_t)((virtual_micros >= 0 ? virtual_micros : NextMicros()) / 1000000);
    if (out != NULL) *out = now;
    return now;
  }
  static time_t (*real)(time_t*);
  if (real == NULL) real = (time_t(*)(time_t*))NextSymbol("time");
  return real(out);
}
