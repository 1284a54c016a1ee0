// sendfile.cc: sendfile(2) with an explicit offset, so the file's own
// position is untouched and TypeScript keeps the Python-visible position.
#include <sys/sendfile.h>

#include <cerrno>

#include "common.h"

namespace loopspec {

namespace {

// sendfile(outFd, inFd, offset, count) -> bytes sent (0 at end of file).
// Throws SystemError; EAGAIN means "wait until outFd is writable".
Napi::Value Sendfile(const Napi::CallbackInfo& info) {
  int64_t out_fd, in_fd, offset, count;
  if (!ArgInt(info, 0, &out_fd) || !ArgInt(info, 1, &in_fd) || !ArgInt(info, 2, &offset) ||
      !ArgInt(info, 3, &count))
    return info.Env().Undefined();
  if (offset < 0 || count < 0) return ThrowErrno(info.Env(), -EINVAL, "sendfile");
  off_t off = static_cast<off_t>(offset);
  ssize_t n = RetryOnEintr([&] { return sendfile(static_cast<int>(out_fd), static_cast<int>(in_fd), &off, static_cast<size_t>(count)); });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "sendfile");
  return ByteCount(info.Env(), n);
}

}  // namespace

void InitSendfile(Napi::Env env, Napi::Object exports) {
  exports.Set("sendfile", Napi::Function::New(env, Sendfile, "sendfile"));
}

}  // namespace loopspec
