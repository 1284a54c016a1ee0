// Shared declarations of the loopspec native addon.
//
// Every .cc file holds one OS concept and exports an Init* function that adds
// its functions to the module's exports; addon.cc only calls them.
// Conventions:
//   - TypeScript (native/index.ts) validates arguments and applies defaults;
//     C++ still checks types cheaply so a wrong call throws instead of crashing.
//   - Inside C++ a failure is -errno; at the entry point ThrowErrno() turns it
//     into an Error shaped like Node's SystemError {code, errno, syscall}.
//   - Every descriptor the addon opens is recorded in the per-environment
//     AddonState, so the environment's cleanup hook can close what is left.
#ifndef LOOPSPEC_NATIVE_COMMON_H_
#define LOOPSPEC_NATIVE_COMMON_H_

#include <napi.h>

#include <cerrno>
#include <map>
#include <string>

namespace loopspec {

// Per-environment state: one per main thread or worker that loads the addon.
struct AddonState {
  // fd -> what it is ("socket", "eventfd", "epoll", "file", "dup").
  std::map<int, std::string> fds;

  void Track(int fd, const char* kind) { fds[fd] = kind; }
  void Untrack(int fd) { fds.erase(fd); }
  // Closes every descriptor still recorded (the environment is going away).
  void CloseAll();
};

AddonState* State(Napi::Env env);

// errors.cc -----------------------------------------------------------------
// Builds an Error {code: 'EAGAIN', errno: 11, syscall: 'send', strerror: ...}.
Napi::Error ErrnoError(Napi::Env env, int neg_errno, const char* syscall);
// Throws ErrnoError(...) as a pending JavaScript exception; returns undefined.
Napi::Value ThrowErrno(Napi::Env env, int neg_errno, const char* syscall);
// Throws a TypeError naming the argument; returns undefined.
Napi::Value ThrowArg(Napi::Env env, const char* message);
// Argument helpers: true when info[i] has the expected type (else throw).
bool ArgInt(const Napi::CallbackInfo& info, size_t i, int64_t* out);
bool ArgBuffer(const Napi::CallbackInfo& info, size_t i,
               Napi::Buffer<uint8_t>* out);
bool ArgString(const Napi::CallbackInfo& info, size_t i, std::string* out);
// Checks that [offset, offset + length) lies inside a buffer of size `size`.
bool ArgRange(Napi::Env env, int64_t offset, int64_t length, size_t size);

// Repeats a system call that a signal interrupted (EINTR) and returns its result: the one
// place that retry lives, so no call site forgets it.
template <typename Call>
inline auto RetryOnEintr(Call call) -> decltype(call()) {
  decltype(call()) result;
  do {
    result = call();
  } while (result < 0 && errno == EINTR);
  return result;
}

// One Init per OS concept --------------------------------------------------
void InitErrors(Napi::Env env, Napi::Object exports);
void InitEpoll(Napi::Env env, Napi::Object exports);
void InitPoll(Napi::Env env, Napi::Object exports);
void InitSelect(Napi::Env env, Napi::Object exports);
void InitSocket(Napi::Env env, Napi::Object exports);
void InitSendfile(Napi::Env env, Napi::Object exports);
void InitClock(Napi::Env env, Napi::Object exports);
void InitFd(Napi::Env env, Napi::Object exports);
void InitProcess(Napi::Env env, Napi::Object exports);

}  // namespace loopspec

#endif  // LOOPSPEC_NATIVE_COMMON_H_
