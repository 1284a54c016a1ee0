// fd.cc: plain descriptors: the eventfd that wakes the selector, files read
// by sendfile's fallback, dup/dup2 for the driver's protocol channel (and
// socket.fromfd), the blocking and close-on-exec flags, close.
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "common.h"

namespace loopspec {

namespace {

// eventfdCreate() -> fd (non-blocking, close-on-exec).
Napi::Value EventfdCreate(const Napi::CallbackInfo& info) {
  int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) return ThrowErrno(info.Env(), -errno, "eventfd");
  State(info.Env())->Track(fd, "eventfd");
  return Napi::Number::New(info.Env(), fd);
}

// eventfdWrite(fd): adds 1 to the counter, waking any poll on it. Safe from
// any thread (workers call it on the loop's eventfd). A full counter (EAGAIN)
// already means "readable", so it is not an error.
Napi::Value EventfdWrite(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  uint64_t one = 1;
  ssize_t n = RetryOnEintr([&] { return write(static_cast<int>(fd), &one, sizeof(one)); });
  if (n < 0 && errno != EAGAIN) return ThrowErrno(info.Env(), -errno, "write");
  return info.Env().Undefined();
}

// eventfdRead(fd) -> the counter (and resets it); 0 when nothing was written.
Napi::Value EventfdRead(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  uint64_t value = 0;
  ssize_t n = RetryOnEintr([&] { return read(static_cast<int>(fd), &value, sizeof(value)); });
  if (n < 0) {
    if (errno == EAGAIN) return Napi::Number::New(info.Env(), 0);
    return ThrowErrno(info.Env(), -errno, "read");
  }
  return Napi::Number::New(info.Env(), static_cast<double>(value));
}

// close(fd). The descriptor is gone afterwards even on EINTR (Linux).
Napi::Value Close(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  State(info.Env())->Untrack(static_cast<int>(fd));
  if (close(static_cast<int>(fd)) < 0 && errno != EINTR)
    return ThrowErrno(info.Env(), -errno, "close");
  return info.Env().Undefined();
}

// openRead(path) -> fd, read-only and close-on-exec (Python's open(p, "rb")).
Napi::Value OpenRead(const Napi::CallbackInfo& info) {
  std::string path;
  if (!ArgString(info, 0, &path)) return info.Env().Undefined();
  int fd = RetryOnEintr([&] { return open(path.c_str(), O_RDONLY | O_CLOEXEC); });
  if (fd < 0) return ThrowErrno(info.Env(), -errno, "open");
  State(info.Env())->Track(fd, "file");
  return Napi::Number::New(info.Env(), fd);
}

// fstat(fd) -> {size, isRegular}.
Napi::Value Fstat(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  struct stat st;
  if (fstat(static_cast<int>(fd), &st) < 0) return ThrowErrno(info.Env(), -errno, "fstat");
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("size", Napi::Number::New(info.Env(), static_cast<double>(st.st_size)));
  out.Set("isRegular", Napi::Boolean::New(info.Env(), S_ISREG(st.st_mode)));
  return out;
}

// lseek(fd, offset, whence) -> the new position.
Napi::Value Lseek(const Napi::CallbackInfo& info) {
  int64_t fd, offset, whence;
  if (!ArgInt(info, 0, &fd) || !ArgInt(info, 1, &offset) || !ArgInt(info, 2, &whence))
    return info.Env().Undefined();
  off_t pos = lseek(static_cast<int>(fd), static_cast<off_t>(offset), static_cast<int>(whence));
  if (pos < 0) return ThrowErrno(info.Env(), -errno, "lseek");
  return Napi::Number::New(info.Env(), static_cast<double>(pos));
}

// pread(fd, buffer, offset, length, position) -> bytes read (0 at EOF).
Napi::Value Pread(const Napi::CallbackInfo& info) {
  int64_t fd, position;
  Bytes span;
  if (!ArgInt(info, 0, &fd) || !ArgSpan(info, 1, &span) || !ArgInt(info, 4, &position))
    return info.Env().Undefined();
  ssize_t n = RetryOnEintr([&] { return pread(static_cast<int>(fd), span.data, span.length, static_cast<off_t>(position)); });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "pread");
  return ByteCount(info.Env(), n);
}

// write(fd, buffer, offset, length) -> bytes written.
Napi::Value Write(const Napi::CallbackInfo& info) {
  int64_t fd;
  Bytes span;
  if (!ArgInt(info, 0, &fd) || !ArgSpan(info, 1, &span)) return info.Env().Undefined();
  ssize_t n = RetryOnEintr([&] { return write(static_cast<int>(fd), span.data, span.length); });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "write");
  return ByteCount(info.Env(), n);
}

// dup(fd) -> a new close-on-exec descriptor for the same file.
Napi::Value Dup(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  int copy = fcntl(static_cast<int>(fd), F_DUPFD_CLOEXEC, 3);
  if (copy < 0) return ThrowErrno(info.Env(), -errno, "dup");
  State(info.Env())->Track(copy, "dup");
  return Napi::Number::New(info.Env(), copy);
}

// dup2(oldFd, newFd): newFd now refers to oldFd's file (driver: dup2(2, 1)).
Napi::Value Dup2(const Napi::CallbackInfo& info) {
  int64_t old_fd, new_fd;
  if (!ArgInt(info, 0, &old_fd) || !ArgInt(info, 1, &new_fd)) return info.Env().Undefined();
  int rc = RetryOnEintr([&] { return dup2(static_cast<int>(old_fd), static_cast<int>(new_fd)); });
  if (rc < 0) return ThrowErrno(info.Env(), -errno, "dup2");
  return info.Env().Undefined();
}

// fcntl(fd, cmd, arg) -> the call's result, for the four commands that take and
// return plain flags: F_GETFD/F_SETFD (FD_CLOEXEC) and F_GETFL/F_SETFL
// (O_NONBLOCK). Any other command is refused: some take pointers, and F_DUPFD
// would open a descriptor nobody tracks.
Napi::Value Fcntl(const Napi::CallbackInfo& info) {
  int64_t fd, cmd, arg;
  if (!ArgInt(info, 0, &fd) || !ArgInt(info, 1, &cmd) || !ArgInt(info, 2, &arg))
    return info.Env().Undefined();
  if (cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL && cmd != F_SETFL)
    return ThrowArg(info.Env(), "fcntl: cmd must be F_GETFD, F_SETFD, F_GETFL or F_SETFL");
  int rc = fcntl(static_cast<int>(fd), static_cast<int>(cmd), static_cast<int>(arg));
  if (rc < 0) return ThrowErrno(info.Env(), -errno, "fcntl");
  return Napi::Number::New(info.Env(), rc);
}

// openFds() -> [[fd, kind], ...]: what this environment opened and has not
// closed (the debug counter behind leak reports).
Napi::Value OpenFds(const Napi::CallbackInfo& info) {
  AddonState* state = State(info.Env());
  Napi::Array out = Napi::Array::New(info.Env(), state->fds.size());
  uint32_t i = 0;
  for (const auto& entry : state->fds) {
    Napi::Array pair = Napi::Array::New(info.Env(), 2);
    pair.Set(0u, Napi::Number::New(info.Env(), entry.first));
    pair.Set(1u, Napi::String::New(info.Env(), entry.second));
    out.Set(i++, pair);
  }
  return out;
}

}  // namespace

void InitFd(Napi::Env env, Napi::Object exports) {
  exports.Set("eventfdCreate", Napi::Function::New(env, EventfdCreate, "eventfdCreate"));
  exports.Set("eventfdWrite", Napi::Function::New(env, EventfdWrite, "eventfdWrite"));
  exports.Set("eventfdRead", Napi::Function::New(env, EventfdRead, "eventfdRead"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("openRead", Napi::Function::New(env, OpenRead, "openRead"));
  exports.Set("fstat", Napi::Function::New(env, Fstat, "fstat"));
  exports.Set("lseek", Napi::Function::New(env, Lseek, "lseek"));
  exports.Set("pread", Napi::Function::New(env, Pread, "pread"));
  exports.Set("write", Napi::Function::New(env, Write, "write"));
  exports.Set("dup", Napi::Function::New(env, Dup, "dup"));
  exports.Set("dup2", Napi::Function::New(env, Dup2, "dup2"));
  exports.Set("fcntl", Napi::Function::New(env, Fcntl, "fcntl"));
  exports.Set("openFds", Napi::Function::New(env, OpenFds, "openFds"));
  Napi::Object c = Napi::Object::New(env);
  LOOPSPEC_CONSTANT(c, F_GETFD);
  LOOPSPEC_CONSTANT(c, F_SETFD);
  LOOPSPEC_CONSTANT(c, F_GETFL);
  LOOPSPEC_CONSTANT(c, F_SETFL);
  LOOPSPEC_CONSTANT(c, FD_CLOEXEC);
  LOOPSPEC_CONSTANT(c, O_NONBLOCK);
  exports.Set("fdConstants", c);
}

}  // namespace loopspec
