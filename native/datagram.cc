// datagram.cc: the two calls of connectionless sockets (UDP over IPv4 and
// IPv6, AF_UNIX SOCK_DGRAM) that stream sockets do not need: sendto() to an
// address and recvfrom() with the sender's address. One system call each.
#include <sys/socket.h>

#include <cerrno>

#include "common.h"

namespace loopspec {

namespace {

// sendto(fd, buffer, offset, length, address) -> bytes sent. MSG_NOSIGNAL, as
// send(): a connected AF_UNIX datagram socket whose peer went is EPIPE, never
// a SIGPIPE.
Napi::Value SendTo(const Napi::CallbackInfo& info) {
  int64_t fd;
  Bytes span;
  SockAddr addr;
  if (!ArgInt(info, 0, &fd) || !ArgSpan(info, 1, &span) || !ArgSockAddr(info, 4, &addr))
    return info.Env().Undefined();
  ssize_t n = RetryOnEintr([&] {
    return sendto(static_cast<int>(fd), span.data, span.length, MSG_NOSIGNAL, addr.get(), addr.length);
  });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "sendto");
  return ByteCount(info.Env(), n);
}

// recvfrom(fd, buffer, offset, length) -> [bytes received, sender's address].
// The address is null when the kernel gives none (an unbound AF_UNIX sender).
// A datagram longer than the span is cut to it, as recvfrom(2) cuts it.
Napi::Value RecvFrom(const Napi::CallbackInfo& info) {
  int64_t fd;
  Bytes span;
  if (!ArgInt(info, 0, &fd) || !ArgSpan(info, 1, &span)) return info.Env().Undefined();
  SockAddr from;
  from.length = sizeof(from.storage);
  ssize_t n = RetryOnEintr([&] { return recvfrom(static_cast<int>(fd), span.data, span.length, 0, from.get(), &from.length); });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "recvfrom");
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, ByteCount(info.Env(), n));
  out.Set(1u, SockAddrValue(info.Env(), from.get(), from.length));
  return out;
}

}  // namespace

void InitDatagram(Napi::Env env, Napi::Object exports) {
  exports.Set("sendto", Napi::Function::New(env, SendTo, "sendto"));
  exports.Set("recvfrom", Napi::Function::New(env, RecvFrom, "recvfrom"));
}

}  // namespace loopspec
