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
  int64_t fd, offset, length;
  Napi::Buffer<uint8_t> buf;
  SockAddr addr;
  if (!ArgInt(info, 0, &fd) || !ArgBuffer(info, 1, &buf) || !ArgInt(info, 2, &offset) ||
      !ArgInt(info, 3, &length) || !ArgRange(info.Env(), offset, length, buf.Length()) ||
      !ArgSockAddr(info, 4, &addr))
    return info.Env().Undefined();
  ssize_t n = RetryOnEintr([&] {
    return sendto(static_cast<int>(fd), buf.Data() + offset, static_cast<size_t>(length),
                  MSG_NOSIGNAL, addr.get(), addr.length);
  });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "sendto");
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

// recvfrom(fd, buffer, offset, length) -> [bytes received, sender's address].
// The address is null when the kernel gives none (an unbound AF_UNIX sender).
// A datagram longer than the span is cut to it, as recvfrom(2) cuts it.
Napi::Value RecvFrom(const Napi::CallbackInfo& info) {
  int64_t fd, offset, length;
  Napi::Buffer<uint8_t> buf;
  if (!ArgInt(info, 0, &fd) || !ArgBuffer(info, 1, &buf) || !ArgInt(info, 2, &offset) ||
      !ArgInt(info, 3, &length) || !ArgRange(info.Env(), offset, length, buf.Length()))
    return info.Env().Undefined();
  SockAddr from;
  from.length = sizeof(from.storage);
  ssize_t n = RetryOnEintr([&] {
    return recvfrom(static_cast<int>(fd), buf.Data() + offset, static_cast<size_t>(length), 0,
                    from.get(), &from.length);
  });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "recvfrom");
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), static_cast<double>(n)));
  out.Set(1u, SockAddrValue(info.Env(), from.get(), from.length));
  return out;
}

}  // namespace

void InitDatagram(Napi::Env env, Napi::Object exports) {
  exports.Set("sendto", Napi::Function::New(env, SendTo, "sendto"));
  exports.Set("recvfrom", Napi::Function::New(env, RecvFrom, "recvfrom"));
}

}  // namespace loopspec
