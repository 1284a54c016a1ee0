// epoll.cc: the selector. epollWait() blocks the calling JavaScript thread on
// purpose: run_forever() blocks its thread, as asyncio's does.
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "common.h"

namespace loopspec {

namespace {

// epollCreate() -> epfd (close-on-exec).
Napi::Value EpollCreate(const Napi::CallbackInfo& info) {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return ThrowErrno(info.Env(), -errno, "epoll_create1");
  State(info.Env())->Track(epfd, "epoll");
  return Napi::Number::New(info.Env(), epfd);
}

// epollCtl(epfd, op, fd, events): op is EPOLL_CTL_ADD/MOD/DEL.
Napi::Value EpollCtl(const Napi::CallbackInfo& info) {
  int64_t epfd, op, fd, events;
  if (!ArgInt(info, 0, &epfd) || !ArgInt(info, 1, &op) || !ArgInt(info, 2, &fd) ||
      !ArgInt(info, 3, &events))
    return info.Env().Undefined();
  struct epoll_event ev = {};
  ev.events = static_cast<uint32_t>(events);
  ev.data.fd = static_cast<int>(fd);
  if (epoll_ctl(static_cast<int>(epfd), static_cast<int>(op), static_cast<int>(fd),
                &ev) < 0)
    return ThrowErrno(info.Env(), -errno, "epoll_ctl");
  return info.Env().Undefined();
}

// epollWait(epfd, timeoutMs, out, maxEvents) -> n: the ready fds and their events written to
// the Int32Array `out` as pairs (fd, events), at most maxEvents (<= out.length / 2) of them. Filling a typed
// array the caller keeps costs no JavaScript object per event: this runs once per loop
// iteration. timeoutMs: -1 waits forever, 0 polls. An interrupted wait (EINTR) reports no
// events, as Python's selectors do; the loop just computes a new timeout.
Napi::Value EpollWait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t epfd, timeout_ms, max_events;
  if (!ArgInt(info, 0, &epfd) || !ArgInt(info, 1, &timeout_ms) || !ArgInt(info, 3, &max_events))
    return env.Undefined();
  void* out;
  size_t out_length;
  if (!TypedArrayData(env, info[2], napi_int32_array, &out, &out_length))
    return ThrowArg(env, "epollWait: out must be an Int32Array");
  if (max_events < 1 || max_events > 65536 || static_cast<size_t>(max_events) > out_length / 2 ||
      timeout_ms < -1 || timeout_ms > 0x7fffffff)
    return ThrowArg(env, "epollWait: maxEvents or timeoutMs out of range");
  std::vector<struct epoll_event> events(static_cast<size_t>(max_events));
  int n = epoll_wait(static_cast<int>(epfd), events.data(), static_cast<int>(max_events),
                     static_cast<int>(timeout_ms));
  if (n < 0) {
    if (errno == EINTR) return Napi::Number::New(env, 0);
    return ThrowErrno(env, -errno, "epoll_wait");
  }
  int32_t* pairs = static_cast<int32_t*>(out);
  for (int i = 0; i < n; i++) {
    pairs[2 * i] = events[i].data.fd;
    pairs[2 * i + 1] = static_cast<int32_t>(events[i].events);
  }
  return Napi::Number::New(env, n);
}

}  // namespace

void InitEpoll(Napi::Env env, Napi::Object exports) {
  exports.Set("epollCreate", Napi::Function::New(env, EpollCreate, "epollCreate"));
  exports.Set("epollCtl", Napi::Function::New(env, EpollCtl, "epollCtl"));
  exports.Set("epollWait", Napi::Function::New(env, EpollWait, "epollWait"));
  Napi::Object c = Napi::Object::New(env);
  c.Set("EPOLLIN", Napi::Number::New(env, EPOLLIN));
  c.Set("EPOLLOUT", Napi::Number::New(env, EPOLLOUT));
  c.Set("EPOLLERR", Napi::Number::New(env, EPOLLERR));
  c.Set("EPOLLHUP", Napi::Number::New(env, EPOLLHUP));
  c.Set("EPOLLRDHUP", Napi::Number::New(env, EPOLLRDHUP));
  c.Set("EPOLL_CTL_ADD", Napi::Number::New(env, EPOLL_CTL_ADD));
  c.Set("EPOLL_CTL_MOD", Napi::Number::New(env, EPOLL_CTL_MOD));
  c.Set("EPOLL_CTL_DEL", Napi::Number::New(env, EPOLL_CTL_DEL));
  exports.Set("epollConstants", c);
}

}  // namespace loopspec
