// The per-context random seam on OpenSSL 3 (see openssl_context_random.h). The generator is an
// EVP_RAND of a built-in provider (provider-rand(7)): it ignores its parent, seeds, reseeds and
// additional input, and answers every generate call with the seam's bytes. The library context
// names it as the type of its DRBGs and of their seed source (RAND_set_DRBG_type(3),
// RAND_set_seed_source_type(3)), so nothing in that context reads the operating system's entropy.
#include "openssl_context_random.h"

#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include <new>

#include "absl/strings/str_cat.h"
#include "mtls/status.h"
#include "openssl_x509.h"

namespace mtls::openssl_random {
namespace {

constexpr char kProviderName[] = "mtls-random-seam";
constexpr char kGeneratorName[] = "MTLS-RANDOM-SEAM";
constexpr char kGeneratorProperties[] = "provider=mtls-random-seam";
constexpr unsigned int kStrength = 256;   // what OpenSSL's own DRBGs report
constexpr size_t kMaxRequest = 1u << 16;  // bytes per generate call (EVP_RAND splits larger ones)

// The library context whose seam provider is being loaded on this thread: OSSL_PROVIDER_load
// runs the provider's init function before it returns, and the init hands it on as the
// provider context.
thread_local SeamLibraryContext* starting = nullptr;

// One EVP_RAND_CTX of the seam generator (a DRBG or the seed source of a library context).
struct Generator {
  SeamLibraryContext* owner;
  int state = EVP_RAND_STATE_UNINITIALISED;
};

Generator* AsGenerator(void* context) { return static_cast<Generator*>(context); }

void* NewGenerator(void* provider_context, void* /*parent*/, const OSSL_DISPATCH* /*calls*/) {
  return new (std::nothrow) Generator{static_cast<SeamLibraryContext*>(provider_context)};
}

void FreeGenerator(void* context) { delete AsGenerator(context); }

int Instantiate(void* context, unsigned int /*strength*/, int /*prediction_resistance*/,
                const unsigned char* /*personalisation*/, size_t /*length*/,
                const OSSL_PARAM* /*params*/) {
  AsGenerator(context)->state = EVP_RAND_STATE_READY;
  return 1;
}

int Uninstantiate(void* context) {
  AsGenerator(context)->state = EVP_RAND_STATE_UNINITIALISED;
  return 1;
}

int Generate(void* context, unsigned char* out, size_t length, unsigned int /*strength*/,
             int /*prediction_resistance*/, const unsigned char* /*additional*/,
             size_t /*additional_length*/) {
  Generator* generator = AsGenerator(context);
  if (generator->state != EVP_RAND_STATE_READY) return 0;
  generator->owner->Generate(absl::MakeSpan(out, length));
  return 1;
}

// The seam has no entropy input: reseeding changes nothing.
int Reseed(void*, int, const unsigned char*, size_t, const unsigned char*, size_t) { return 1; }

// Thread safety comes from SeamLibraryContext::Generate, which serialises the seam's calls.
int EnableLocking(void*) { return 1; }

int GetContextParams(void* context, OSSL_PARAM* params) {
  OSSL_PARAM* param = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STATE);
  if (param != nullptr && OSSL_PARAM_set_int(param, AsGenerator(context)->state) != 1) return 0;
  param = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STRENGTH);
  if (param != nullptr && OSSL_PARAM_set_uint(param, kStrength) != 1) return 0;
  param = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_MAX_REQUEST);
  if (param != nullptr && OSSL_PARAM_set_size_t(param, kMaxRequest) != 1) return 0;
  return 1;
}

const OSSL_PARAM* GettableContextParams(void*, void*) {
  static const OSSL_PARAM kGettable[] = {
      OSSL_PARAM_int(OSSL_RAND_PARAM_STATE, nullptr),
      OSSL_PARAM_uint(OSSL_RAND_PARAM_STRENGTH, nullptr),
      OSSL_PARAM_size_t(OSSL_RAND_PARAM_MAX_REQUEST, nullptr),
      OSSL_PARAM_END,
  };
  return kGettable;
}

// Dispatch tables hold every function as void (*)(void) (provider-base(7)).
template <typename Function>
void (*Entry(Function* function))() {
  return reinterpret_cast<void (*)()>(function);
}

const OSSL_DISPATCH kGeneratorFunctions[] = {
    {OSSL_FUNC_RAND_NEWCTX, Entry(NewGenerator)},
    {OSSL_FUNC_RAND_FREECTX, Entry(FreeGenerator)},
    {OSSL_FUNC_RAND_INSTANTIATE, Entry(Instantiate)},
    {OSSL_FUNC_RAND_UNINSTANTIATE, Entry(Uninstantiate)},
    {OSSL_FUNC_RAND_GENERATE, Entry(Generate)},
    {OSSL_FUNC_RAND_RESEED, Entry(Reseed)},
    {OSSL_FUNC_RAND_ENABLE_LOCKING, Entry(EnableLocking)},
    {OSSL_FUNC_RAND_GET_CTX_PARAMS, Entry(GetContextParams)},
    {OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, Entry(GettableContextParams)},
    {0, nullptr},
};

const OSSL_ALGORITHM kGenerators[] = {
    {kGeneratorName, kGeneratorProperties, kGeneratorFunctions,
     "the random seam of an mtls endpoint configuration"},
    {nullptr, nullptr, nullptr, nullptr},
};

const OSSL_ALGORITHM* QueryOperation(void*, int operation, int* no_cache) {
  *no_cache = 0;
  return operation == OSSL_OP_RAND ? kGenerators : nullptr;
}

const OSSL_DISPATCH kProviderFunctions[] = {
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, Entry(QueryOperation)},
    {0, nullptr},
};

int InitProvider(const OSSL_CORE_HANDLE*, const OSSL_DISPATCH*, const OSSL_DISPATCH** out,
                 void** provider_context) {
  if (starting == nullptr) return 0;  // loaded other than by SeamLibraryContext::Start
  *out = kProviderFunctions;
  *provider_context = starting;
  return 1;
}

absl::Status LibraryError(absl::string_view call) {
  return absl::InternalError(absl::StrCat(call, ": ", openssl_api::DrainErrors()));
}

}  // namespace

SeamLibraryContext::~SeamLibraryContext() {
  if (default_provider_ != nullptr) OSSL_PROVIDER_unload(default_provider_);
  if (seam_provider_ != nullptr) OSSL_PROVIDER_unload(seam_provider_);
  // Frees the generators too (they hold on to the seam provider until then); they do not call
  // the seam on the way out.
  OSSL_LIB_CTX_free(library_context_);
}

absl::Status SeamLibraryContext::Start() {
  library_context_ = OSSL_LIB_CTX_new();
  if (library_context_ == nullptr) return LibraryError("OSSL_LIB_CTX_new");
  // Before anything instantiates a generator of the context: both refuse afterwards.
  if (RAND_set_DRBG_type(library_context_, kGeneratorName, kGeneratorProperties, nullptr,
                         nullptr) != 1) {
    return LibraryError("RAND_set_DRBG_type");
  }
  if (RAND_set_seed_source_type(library_context_, kGeneratorName, kGeneratorProperties) != 1) {
    return LibraryError("RAND_set_seed_source_type");
  }
  if (OSSL_PROVIDER_add_builtin(library_context_, kProviderName, InitProvider) != 1) {
    return LibraryError("OSSL_PROVIDER_add_builtin");
  }
  starting = this;
  seam_provider_ = OSSL_PROVIDER_load(library_context_, kProviderName);
  starting = nullptr;
  if (seam_provider_ == nullptr) return LibraryError("OSSL_PROVIDER_load(mtls-random-seam)");
  // A library context with a provider loaded explicitly gets no default one by itself.
  default_provider_ = OSSL_PROVIDER_load(library_context_, "default");
  if (default_provider_ == nullptr) return LibraryError("OSSL_PROVIDER_load(default)");
  return absl::OkStatus();
}

void SeamLibraryContext::Generate(absl::Span<uint8_t> out) {
  std::lock_guard<std::mutex> lock(mutex_);
  seam_(out);
}

absl::StatusOr<std::unique_ptr<SeamLibraryContext>> LibraryContextFor(
    const DeterminismSeams& seams) {
  if (!seams.random) return nullptr;
  auto library = std::make_unique<SeamLibraryContext>(seams.random);
  MTLS_RETURN_IF_ERROR(library->Start());
  return library;
}

SSL_CTX* NewSslContext(const SeamLibraryContext* library, const SSL_METHOD* method) {
  if (library == nullptr) return SSL_CTX_new(method);
  return SSL_CTX_new_ex(library->library_context(), nullptr, method);
}

}  // namespace mtls::openssl_random
