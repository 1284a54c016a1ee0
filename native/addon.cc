// addon.cc: wires the OS-concept files into one context-aware module.
// Per-environment state (so the addon loads in worker_threads too) is set as
// instance data; the environment's cleanup hook closes what it opened.
#include <unistd.h>

#include "common.h"

namespace loopspec {

void AddonState::CloseAll() {
  for (const auto& entry : fds) close(entry.first);
  fds.clear();
}

AddonState* State(Napi::Env env) { return env.GetInstanceData<AddonState>(); }

namespace {

// The cleanup hook owns the state; instance data only points at it.
void NoFinalize(Napi::Env, AddonState*) {}

void Cleanup(AddonState* state) {
  state->CloseAll();
  delete state;
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* state = new AddonState();
  env.SetInstanceData<AddonState, NoFinalize>(state);
  env.AddCleanupHook(Cleanup, state);
  InitErrors(env, exports);
  InitEpoll(env, exports);
  InitPoll(env, exports);
  InitSelect(env, exports);
  InitSockaddr(env, exports);
  InitSocket(env, exports);
  InitDatagram(env, exports);
  InitDns(env, exports);
  InitSendfile(env, exports);
  InitClock(env, exports);
  InitFd(env, exports);
  InitPaths(env, exports);
  InitProcess(env, exports);
  InitTls(env, exports);
  return exports;
}

}  // namespace loopspec

static Napi::Object InitLoopspecNative(Napi::Env env, Napi::Object exports) {
  return loopspec::Init(env, exports);
}

NODE_API_MODULE(loopspec_native, InitLoopspecNative)
