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
#include <sys/socket.h>

#include <cerrno>
#include <climits>
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
// Argument helpers: true when info[i] has the expected type (else throw). They run on
// every system call's arguments (send and recv on every request of a server), so each
// reads its argument with the one Node-API call that also checks its type.
bool ArgInt(const Napi::CallbackInfo& info, size_t i, int64_t* out);
// The elements of a typed array of `type` (a Buffer is a napi_uint8_array), with one
// Node-API call: false, and nothing thrown, when value is not one.
bool TypedArrayData(napi_env env, napi_value value, napi_typedarray_type type, void** data, size_t* length);
// The bytes of a Buffer (any Uint8Array).
struct Bytes {
  uint8_t* data;
  size_t length;
};
bool ArgBytes(const Napi::CallbackInfo& info, size_t i, Bytes* out);
// info[i] a Buffer, info[i + 1] an offset and info[i + 2] a length that lie inside it: the
// span they name (RangeError when they do not).
bool ArgSpan(const Napi::CallbackInfo& info, size_t i, Bytes* out);
bool ArgString(const Napi::CallbackInfo& info, size_t i, std::string* out);
// A count of bytes a system call moved, as a JavaScript number: a small integer when it is
// one (no heap number, and the cheapest Node-API call for it).
Napi::Value ByteCount(Napi::Env env, ssize_t n);
// Builds the Error of a failed getaddrinfo/getnameinfo: {code: 'EAI_NONAME',
// errno: -2, syscall, strerror: gai_strerror(code)}. errno is the (negative on
// Linux) EAI code itself, as Python's socket.gaierror carries it.
Napi::Error GaiError(Napi::Env env, int eai_code, const char* syscall);

// sockaddr.cc ---------------------------------------------------------------
// A socket address crosses to TypeScript as a plain object (CPython's
// makesockaddr / getsockaddrarg, the halves that touch the struct):
//   {family: AF_INET, host: '127.0.0.1', port}
//   {family: AF_INET6, host: '::1', port, flowinfo, scopeId}
//   {family: AF_UNIX, path: Buffer}   sun_path's bytes; abstract names keep
//                                     their leading NUL
//   {family, data: Buffer}            any other family: sa_data's 14 bytes
// Hosts are numeric: resolving names is TypeScript's decision (getaddrinfo).
struct SockAddr {
  sockaddr_storage storage;
  socklen_t length;
  sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
};
// Reads info[i] as such an object into `out` (else throws and returns false).
bool ArgSockAddr(const Napi::CallbackInfo& info, size_t i, SockAddr* out);
// The object for the `length` bytes of a sockaddr the kernel filled in.
Napi::Value SockAddrValue(Napi::Env env, const sockaddr* addr, socklen_t length);

// Sets obj[NAME] = NAME: how a file exports the C library's constants by their own names.
#define LOOPSPEC_CONSTANT(obj, name) (obj).Set(#name, Napi::Number::New((obj).Env(), name))

// The getaddrinfo/getnameinfo error codes (glibc's, GNU extensions included), for X(name):
// errors.cc names them, dns.cc exports their values.
#define LOOPSPEC_EAI_CODES(X)                                                              \
  X(EAI_BADFLAGS) X(EAI_NONAME) X(EAI_AGAIN) X(EAI_FAIL) X(EAI_NODATA) X(EAI_FAMILY)       \
  X(EAI_SOCKTYPE) X(EAI_SERVICE) X(EAI_ADDRFAMILY) X(EAI_MEMORY) X(EAI_SYSTEM)             \
  X(EAI_OVERFLOW)

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
void InitSockaddr(Napi::Env env, Napi::Object exports);
void InitSocket(Napi::Env env, Napi::Object exports);
void InitDatagram(Napi::Env env, Napi::Object exports);
void InitDns(Napi::Env env, Napi::Object exports);
void InitSendfile(Napi::Env env, Napi::Object exports);
void InitClock(Napi::Env env, Napi::Object exports);
void InitFd(Napi::Env env, Napi::Object exports);
void InitPaths(Napi::Env env, Napi::Object exports);
void InitProcess(Napi::Env env, Napi::Object exports);
void InitTls(Napi::Env env, Napi::Object exports);

}  // namespace loopspec

#endif  // LOOPSPEC_NATIVE_COMMON_H_
