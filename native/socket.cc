// socket.cc: non-blocking stream sockets of any family (TCP over IPv4 and
// IPv6, AF_UNIX), the calls Python's socket object makes, one system call each.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common.h"

namespace loopspec {

namespace {

// socket(family, type, proto) -> fd, non-blocking and close-on-exec from the
// start, like every descriptor the addon opens (asyncio's sockets never block,
// and none leaks into a child process).
Napi::Value Socket(const Napi::CallbackInfo& info) {
  int64_t family, type, proto;
  if (!ArgInt(info, 0, &family) || !ArgInt(info, 1, &type) || !ArgInt(info, 2, &proto))
    return info.Env().Undefined();
  int fd = socket(static_cast<int>(family), static_cast<int>(type) | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  static_cast<int>(proto));
  if (fd < 0) return ThrowErrno(info.Env(), -errno, "socket");
  State(info.Env())->Track(fd, "socket");
  return Napi::Number::New(info.Env(), fd);
}

// socketpair() -> [fd, fd]: connected AF_UNIX stream sockets, non-blocking.
Napi::Value SocketPair(const Napi::CallbackInfo& info) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) < 0)
    return ThrowErrno(info.Env(), -errno, "socketpair");
  State(info.Env())->Track(fds[0], "socket");
  State(info.Env())->Track(fds[1], "socket");
  Napi::Array pair = Napi::Array::New(info.Env(), 2);
  pair.Set(0u, Napi::Number::New(info.Env(), fds[0]));
  pair.Set(1u, Napi::Number::New(info.Env(), fds[1]));
  return pair;
}

// bind(fd, address).
Napi::Value Bind(const Napi::CallbackInfo& info) {
  int64_t fd;
  SockAddr addr;
  if (!ArgInt(info, 0, &fd) || !ArgSockAddr(info, 1, &addr)) return info.Env().Undefined();
  if (bind(static_cast<int>(fd), addr.get(), addr.length) < 0)
    return ThrowErrno(info.Env(), -errno, "bind");
  return info.Env().Undefined();
}

// listen(fd, backlog).
Napi::Value Listen(const Napi::CallbackInfo& info) {
  int64_t fd, backlog;
  if (!ArgInt(info, 0, &fd) || !ArgInt(info, 1, &backlog)) return info.Env().Undefined();
  if (listen(static_cast<int>(fd), static_cast<int>(backlog)) < 0)
    return ThrowErrno(info.Env(), -errno, "listen");
  return info.Env().Undefined();
}

// accept(fd) -> [fd, peer address]: accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC,
// so the new socket is never inherited nor blocking, not even for a moment.
Napi::Value Accept(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  SockAddr peer;
  peer.length = sizeof(peer.storage);
  int conn = RetryOnEintr([&] { return accept4(static_cast<int>(fd), peer.get(), &peer.length, SOCK_NONBLOCK | SOCK_CLOEXEC); });
  if (conn < 0) return ThrowErrno(info.Env(), -errno, "accept");
  State(info.Env())->Track(conn, "socket");
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), conn));
  out.Set(1u, SockAddrValue(info.Env(), peer.get(), peer.length));
  return out;
}

// connect(fd, address). A non-blocking socket whose connection goes on in the
// background throws EINPROGRESS (Python's BlockingIOError): wait until it is
// writable, then read SO_ERROR. Not retried on EINTR: an interrupted connect
// also goes on in the background, and a second call would fail with EALREADY.
Napi::Value Connect(const Napi::CallbackInfo& info) {
  int64_t fd;
  SockAddr addr;
  if (!ArgInt(info, 0, &fd) || !ArgSockAddr(info, 1, &addr)) return info.Env().Undefined();
  if (connect(static_cast<int>(fd), addr.get(), addr.length) < 0)
    return ThrowErrno(info.Env(), -errno, "connect");
  return info.Env().Undefined();
}

// getsockoptInt(fd, level, name) -> the integer option (SO_ERROR, SO_TYPE, TCP_NODELAY...).
Napi::Value GetsockoptInt(const Napi::CallbackInfo& info) {
  int64_t fd, level, name;
  if (!ArgInt(info, 0, &fd) || !ArgInt(info, 1, &level) || !ArgInt(info, 2, &name))
    return info.Env().Undefined();
  int value = 0;
  socklen_t len = sizeof(value);
  if (getsockopt(static_cast<int>(fd), static_cast<int>(level), static_cast<int>(name), &value,
                 &len) < 0)
    return ThrowErrno(info.Env(), -errno, "getsockopt");
  return Napi::Number::New(info.Env(), value);
}

// send(fd, buffer, offset, length) -> bytes sent. MSG_NOSIGNAL: a closed peer
// is an EPIPE error, never a SIGPIPE that kills the process.
Napi::Value Send(const Napi::CallbackInfo& info) {
  int64_t fd;
  Bytes span;
  if (!ArgInt(info, 0, &fd) || !ArgSpan(info, 1, &span)) return info.Env().Undefined();
  ssize_t n = RetryOnEintr([&] { return send(static_cast<int>(fd), span.data, span.length, MSG_NOSIGNAL); });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "send");
  return ByteCount(info.Env(), n);
}

// recv(fd, buffer, offset, length) -> bytes received (0 at end of stream).
Napi::Value Recv(const Napi::CallbackInfo& info) {
  int64_t fd;
  Bytes span;
  if (!ArgInt(info, 0, &fd) || !ArgSpan(info, 1, &span)) return info.Env().Undefined();
  ssize_t n = RetryOnEintr([&] { return recv(static_cast<int>(fd), span.data, span.length, 0); });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "recv");
  return ByteCount(info.Env(), n);
}

// recvOrAgain(fd, buf, offset, length) -> bytes received (0 at end of stream), or -1 when
// nothing is there yet (EAGAIN): what a loop's "try now, else wait" path expects on every
// request, answered without building an Error. Other failures throw as recv's do.
Napi::Value RecvOrAgain(const Napi::CallbackInfo& info) {
  int64_t fd;
  Bytes span;
  if (!ArgInt(info, 0, &fd) || !ArgSpan(info, 1, &span)) return info.Env().Undefined();
  ssize_t n = RetryOnEintr([&] { return recv(static_cast<int>(fd), span.data, span.length, 0); });
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return ByteCount(info.Env(), -1);
  if (n < 0) return ThrowErrno(info.Env(), -errno, "recv");
  return ByteCount(info.Env(), n);
}

// shutdown(fd, how): how is SHUT_RD/SHUT_WR/SHUT_RDWR.
Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  int64_t fd, how;
  if (!ArgInt(info, 0, &fd) || !ArgInt(info, 1, &how)) return info.Env().Undefined();
  if (shutdown(static_cast<int>(fd), static_cast<int>(how)) < 0)
    return ThrowErrno(info.Env(), -errno, "shutdown");
  return info.Env().Undefined();
}

// setsockoptInt(fd, level, name, value) for integer options (SO_SNDBUF, ...).
Napi::Value SetsockoptInt(const Napi::CallbackInfo& info) {
  int64_t fd, level, name, value;
  if (!ArgInt(info, 0, &fd) || !ArgInt(info, 1, &level) || !ArgInt(info, 2, &name) ||
      !ArgInt(info, 3, &value))
    return info.Env().Undefined();
  int v = static_cast<int>(value);
  if (setsockopt(static_cast<int>(fd), static_cast<int>(level), static_cast<int>(name),
                 &v, sizeof(v)) < 0)
    return ThrowErrno(info.Env(), -errno, "setsockopt");
  return info.Env().Undefined();
}

// setLinger(fd, onoff, seconds): SO_LINGER; (1, 0) makes close() send a reset.
Napi::Value SetLinger(const Napi::CallbackInfo& info) {
  int64_t fd, onoff, seconds;
  if (!ArgInt(info, 0, &fd) || !ArgInt(info, 1, &onoff) || !ArgInt(info, 2, &seconds))
    return info.Env().Undefined();
  struct linger l = {static_cast<int>(onoff), static_cast<int>(seconds)};
  if (setsockopt(static_cast<int>(fd), SOL_SOCKET, SO_LINGER, &l, sizeof(l)) < 0)
    return ThrowErrno(info.Env(), -errno, "setsockopt");
  return info.Env().Undefined();
}

// getsockname/getpeername -> the address object (sockaddr.cc).
Napi::Value AddressOf(const Napi::CallbackInfo& info, bool peer) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  SockAddr addr;
  addr.length = sizeof(addr.storage);
  int rc = peer ? getpeername(static_cast<int>(fd), addr.get(), &addr.length)
                : getsockname(static_cast<int>(fd), addr.get(), &addr.length);
  if (rc < 0) return ThrowErrno(info.Env(), -errno, peer ? "getpeername" : "getsockname");
  return SockAddrValue(info.Env(), addr.get(), addr.length);
}

Napi::Value GetSockName(const Napi::CallbackInfo& info) { return AddressOf(info, false); }
Napi::Value GetPeerName(const Napi::CallbackInfo& info) { return AddressOf(info, true); }

}  // namespace

void InitSocket(Napi::Env env, Napi::Object exports) {
  exports.Set("socket", Napi::Function::New(env, Socket, "socket"));
  exports.Set("socketpair", Napi::Function::New(env, SocketPair, "socketpair"));
  exports.Set("bind", Napi::Function::New(env, Bind, "bind"));
  exports.Set("listen", Napi::Function::New(env, Listen, "listen"));
  exports.Set("accept", Napi::Function::New(env, Accept, "accept"));
  exports.Set("connect", Napi::Function::New(env, Connect, "connect"));
  exports.Set("send", Napi::Function::New(env, Send, "send"));
  exports.Set("recv", Napi::Function::New(env, Recv, "recv"));
  exports.Set("recvOrAgain", Napi::Function::New(env, RecvOrAgain, "recvOrAgain"));
  exports.Set("shutdown", Napi::Function::New(env, Shutdown, "shutdown"));
  exports.Set("getsockoptInt", Napi::Function::New(env, GetsockoptInt, "getsockoptInt"));
  exports.Set("setsockoptInt", Napi::Function::New(env, SetsockoptInt, "setsockoptInt"));
  exports.Set("setLinger", Napi::Function::New(env, SetLinger, "setLinger"));
  exports.Set("getsockname", Napi::Function::New(env, GetSockName, "getsockname"));
  exports.Set("getpeername", Napi::Function::New(env, GetPeerName, "getpeername"));
  // Linux's values, under the names Python's socket module gives them.
  Napi::Object c = Napi::Object::New(env);
  LOOPSPEC_CONSTANT(c, AF_UNSPEC);
  LOOPSPEC_CONSTANT(c, AF_UNIX);
  LOOPSPEC_CONSTANT(c, AF_INET);
  LOOPSPEC_CONSTANT(c, AF_INET6);
  LOOPSPEC_CONSTANT(c, SOCK_STREAM);
  LOOPSPEC_CONSTANT(c, SOCK_DGRAM);
  LOOPSPEC_CONSTANT(c, SOCK_RAW);
  LOOPSPEC_CONSTANT(c, SOCK_NONBLOCK);
  LOOPSPEC_CONSTANT(c, SOCK_CLOEXEC);
  LOOPSPEC_CONSTANT(c, SOMAXCONN);
  LOOPSPEC_CONSTANT(c, SOL_SOCKET);
  LOOPSPEC_CONSTANT(c, SO_REUSEADDR);
  LOOPSPEC_CONSTANT(c, SO_REUSEPORT);
  LOOPSPEC_CONSTANT(c, SO_ERROR);
  LOOPSPEC_CONSTANT(c, SO_TYPE);
  LOOPSPEC_CONSTANT(c, SO_KEEPALIVE);
  LOOPSPEC_CONSTANT(c, SO_BROADCAST);
  LOOPSPEC_CONSTANT(c, SO_LINGER);
  LOOPSPEC_CONSTANT(c, SO_SNDBUF);
  LOOPSPEC_CONSTANT(c, SO_RCVBUF);
  LOOPSPEC_CONSTANT(c, IPPROTO_IP);
  LOOPSPEC_CONSTANT(c, IPPROTO_TCP);
  LOOPSPEC_CONSTANT(c, IPPROTO_UDP);
  LOOPSPEC_CONSTANT(c, IPPROTO_IPV6);
  LOOPSPEC_CONSTANT(c, TCP_NODELAY);
  LOOPSPEC_CONSTANT(c, IPV6_V6ONLY);
  LOOPSPEC_CONSTANT(c, SHUT_RD);
  LOOPSPEC_CONSTANT(c, SHUT_WR);
  LOOPSPEC_CONSTANT(c, SHUT_RDWR);
  exports.Set("socketConstants", c);
}

}  // namespace loopspec
