// select.cc: select(2), the system call of selectors.SelectSelector. Its
// fd_set bitmaps hold descriptors 0 to FD_SETSIZE - 1 only: FD_SET() of a
// larger one writes past the end of the set, so every descriptor is checked
// here, whatever TypeScript checked before. selectWait() blocks the calling
// JavaScript thread on purpose, as epollWait() does.
#include <sys/select.h>

#include <cerrno>
#include <vector>

#include "common.h"

namespace loopspec {

namespace {

// Reads an Int32Array of descriptors, each in [0, FD_SETSIZE), into `set`;
// false (with a pending TypeError or RangeError) when it is not one.
bool ArgFdSet(const Napi::CallbackInfo& info, size_t i, std::vector<int>* fds,
              fd_set* set, int* max_fd) {
  Napi::Env env = info.Env();
  void* data;
  size_t length;
  if (!TypedArrayData(env, info[i], napi_int32_array, &data, &length)) {
    ThrowArg(env, "selectWait: expected an Int32Array of descriptors");
    return false;
  }
  const int32_t* array = static_cast<const int32_t*>(data);
  FD_ZERO(set);
  for (size_t k = 0; k < length; k++) {
    int32_t fd = array[k];
    if (fd < 0 || fd >= FD_SETSIZE) {
      Napi::RangeError::New(env, "selectWait: a descriptor outside [0, FD_SETSIZE)")
          .ThrowAsJavaScriptException();
      return false;
    }
    FD_SET(fd, set);
    fds->push_back(fd);
    if (fd > *max_fd) *max_fd = fd;
  }
  return true;
}

// The descriptors of `fds` that select() left set in `set`, in the order given.
Napi::Array Ready(Napi::Env env, const std::vector<int>& fds, fd_set* set) {
  Napi::Array out = Napi::Array::New(env);
  uint32_t k = 0;
  for (int fd : fds) {
    if (!FD_ISSET(fd, set)) continue;
    out.Set(k++, Napi::Number::New(env, fd));
    FD_CLR(fd, set);  // a descriptor given twice comes back once
  }
  return out;
}

// selectWait(readFds, writeFds, timeoutUs) -> [readable, writable].
// readFds and writeFds are Int32Arrays of descriptors; no exceptional set
// (Python's SelectSelector passes none on Unix). timeoutUs: -1 waits forever,
// 0 polls, else microseconds (select(2) takes a struct timeval). An
// interrupted wait (EINTR) returns nothing ready, as epollWait() does; a
// closed descriptor in a set is the kernel's EBADF, raised as a SystemError.
Napi::Value SelectWait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int> read_fds, write_fds;
  fd_set read_set, write_set;
  int max_fd = -1;
  if (!ArgFdSet(info, 0, &read_fds, &read_set, &max_fd) ||
      !ArgFdSet(info, 1, &write_fds, &write_set, &max_fd))
    return env.Undefined();
  int64_t timeout_us;
  if (!ArgInt(info, 2, &timeout_us)) return env.Undefined();
  if (timeout_us < -1 || timeout_us > int64_t{0x7fffffff} * 1000)
    return ThrowArg(env, "selectWait: timeoutUs out of range");
  struct timeval tv;
  struct timeval* timeout = nullptr;
  if (timeout_us >= 0) {
    tv.tv_sec = static_cast<time_t>(timeout_us / 1000000);
    tv.tv_usec = static_cast<suseconds_t>(timeout_us % 1000000);
    timeout = &tv;
  }
  int n = select(max_fd + 1, &read_set, &write_set, nullptr, timeout);
  Napi::Array result = Napi::Array::New(env, 2);
  if (n < 0) {
    if (errno != EINTR) return ThrowErrno(env, -errno, "select");
    result.Set(0u, Napi::Array::New(env, 0));
    result.Set(1u, Napi::Array::New(env, 0));
    return result;
  }
  result.Set(0u, Ready(env, read_fds, &read_set));
  result.Set(1u, Ready(env, write_fds, &write_set));
  return result;
}

}  // namespace

void InitSelect(Napi::Env env, Napi::Object exports) {
  exports.Set("selectWait", Napi::Function::New(env, SelectWait, "selectWait"));
  Napi::Object c = Napi::Object::New(env);
  c.Set("FD_SETSIZE", Napi::Number::New(env, FD_SETSIZE));
  exports.Set("selectConstants", c);
}

}  // namespace loopspec
