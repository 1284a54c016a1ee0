// poll.cc: poll(2), the system call of selectors.PollSelector. pollWait()
// blocks the calling JavaScript thread on purpose, as epollWait() does: the
// loop's run_forever() blocks its thread, as asyncio's does.
#include <poll.h>

#include <cerrno>
#include <vector>

#include "common.h"

namespace loopspec {

namespace {

// pollWait(pairs, timeoutMs) -> [[fd, revents], ...].
// pairs is an Int32Array [fd, events, fd, events, ...]: one struct pollfd per
// pair, built afresh for every call (poll(2) keeps no registrations; the
// TypeScript selector keeps them). Only entries with revents != 0 come back,
// in the order given. timeoutMs: -1 waits forever, 0 polls. An interrupted
// wait (EINTR) returns no events, as epollWait() does. More pairs than
// RLIMIT_NOFILE is the kernel's EINVAL, raised as a SystemError.
Napi::Value PollWait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  void* data;
  size_t length;
  if (!TypedArrayData(env, info[0], napi_int32_array, &data, &length))
    return ThrowArg(env, "pollWait: expected an Int32Array of fd, events pairs");
  const int32_t* pairs = static_cast<const int32_t*>(data);
  int64_t timeout_ms;
  if (!ArgInt(info, 1, &timeout_ms)) return env.Undefined();
  if (length % 2 != 0 || timeout_ms < -1 || timeout_ms > 0x7fffffff)
    return ThrowArg(env, "pollWait: an odd pairs array or timeoutMs out of range");
  std::vector<struct pollfd> fds(length / 2);
  for (size_t i = 0; i < fds.size(); i++) {
    int32_t fd = pairs[2 * i];
    int32_t events = pairs[2 * i + 1];
    if (fd < 0 || events < 0 || events > 0xffff)
      return ThrowArg(env, "pollWait: an fd or an event mask out of range");
    fds[i].fd = fd;
    fds[i].events = static_cast<short>(events);
    fds[i].revents = 0;
  }
  int n = poll(fds.data(), static_cast<nfds_t>(fds.size()),
               static_cast<int>(timeout_ms));
  if (n < 0) {
    if (errno == EINTR) return Napi::Array::New(env, 0);
    return ThrowErrno(env, -errno, "poll");
  }
  Napi::Array result = Napi::Array::New(env, n);
  uint32_t k = 0;
  for (const struct pollfd& p : fds) {
    if (p.revents == 0) continue;
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, Napi::Number::New(env, p.fd));
    pair.Set(1u, Napi::Number::New(env, static_cast<uint16_t>(p.revents)));
    result.Set(k++, pair);
  }
  return result;
}

}  // namespace

void InitPoll(Napi::Env env, Napi::Object exports) {
  exports.Set("pollWait", Napi::Function::New(env, PollWait, "pollWait"));
  Napi::Object c = Napi::Object::New(env);
  c.Set("POLLIN", Napi::Number::New(env, POLLIN));
  c.Set("POLLPRI", Napi::Number::New(env, POLLPRI));
  c.Set("POLLOUT", Napi::Number::New(env, POLLOUT));
  c.Set("POLLERR", Napi::Number::New(env, POLLERR));
  c.Set("POLLHUP", Napi::Number::New(env, POLLHUP));
  c.Set("POLLNVAL", Napi::Number::New(env, POLLNVAL));
  exports.Set("pollConstants", c);
}

}  // namespace loopspec
