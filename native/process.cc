// process.cc: what containment needs of the process tree (adapters/PROTOCOL.md,
// "Containment"): become a child subreaper, so that what a driver's loop
// double-forks is reparented here instead of to init, and wait for one given
// child without blocking. Waiting is always for a named pid, never for "any
// child": Node's own child processes belong to libuv, which waits for them.
#include <sys/prctl.h>
#include <sys/wait.h>

#include <cerrno>

#include "common.h"

namespace loopspec {

namespace {

// setChildSubreaper() -> void. Throws SystemError where the kernel refuses.
Napi::Value SetChildSubreaper(const Napi::CallbackInfo& info) {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) return ThrowErrno(info.Env(), -errno, "prctl");
  return info.Env().Undefined();
}

// reap(pid) -> true once the child is waited for (or is no child of ours), false
// while it still runs.
Napi::Value Reap(const Napi::CallbackInfo& info) {
  int64_t pid;
  if (!ArgInt(info, 0, &pid)) return info.Env().Undefined();
  if (pid <= 0) return ThrowErrno(info.Env(), -EINVAL, "waitpid");
  int status = 0;
  pid_t rc = RetryOnEintr([&] { return waitpid(static_cast<pid_t>(pid), &status, WNOHANG); });
  if (rc < 0 && errno != ECHILD) return ThrowErrno(info.Env(), -errno, "waitpid");
  return Napi::Boolean::New(info.Env(), rc != 0);
}

}  // namespace

void InitProcess(Napi::Env env, Napi::Object exports) {
  exports.Set("setChildSubreaper", Napi::Function::New(env, SetChildSubreaper, "setChildSubreaper"));
  exports.Set("reap", Napi::Function::New(env, Reap, "reap"));
}

}  // namespace loopspec
