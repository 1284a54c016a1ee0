// clock.cc: the loop's clock, CLOCK_MONOTONIC as float seconds (Python's
// time.monotonic(), which asyncio's loop.time() uses).
#include <time.h>

#include <cerrno>

#include "common.h"

namespace loopspec {

namespace {

Napi::Value Monotonic(const Napi::CallbackInfo& info) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
    return ThrowErrno(info.Env(), -errno, "clock_gettime");
  return Napi::Number::New(info.Env(), static_cast<double>(ts.tv_sec) +
                                           static_cast<double>(ts.tv_nsec) * 1e-9);
}

// monotonicResolution() -> seconds (clock_getres): asyncio's
// time.get_clock_info('monotonic').resolution.
Napi::Value MonotonicResolution(const Napi::CallbackInfo& info) {
  struct timespec ts;
  if (clock_getres(CLOCK_MONOTONIC, &ts) < 0)
    return ThrowErrno(info.Env(), -errno, "clock_getres");
  return Napi::Number::New(info.Env(), static_cast<double>(ts.tv_sec) +
                                           static_cast<double>(ts.tv_nsec) * 1e-9);
}

}  // namespace

void InitClock(Napi::Env env, Napi::Object exports) {
  exports.Set("monotonic", Napi::Function::New(env, Monotonic, "monotonic"));
  exports.Set("monotonicResolution",
              Napi::Function::New(env, MonotonicResolution, "monotonicResolution"));
}

}  // namespace loopspec
