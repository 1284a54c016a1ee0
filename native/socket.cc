// socket.cc: non-blocking TCP sockets and AF_UNIX socket pairs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common.h"

namespace loopspec {

namespace {

// Fills a sockaddr from a numeric IPv4/IPv6 host; false when not numeric.
bool MakeAddress(const std::string& host, int port, sockaddr_storage* addr,
                 socklen_t* len) {
  std::memset(addr, 0, sizeof(*addr));
  auto* v4 = reinterpret_cast<sockaddr_in*>(addr);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    *len = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(addr);
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    *len = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// socketTcp(ipv6) -> fd: a non-blocking, close-on-exec stream socket.
Napi::Value SocketTcp(const Napi::CallbackInfo& info) {
  bool v6 = info.Length() > 0 && info[0].ToBoolean().Value();
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  0);
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

// connect(fd, host, port) -> true when connected at once, false when the
// connection is in progress (EINPROGRESS: wait for writability, then read
// SO_ERROR with socketError()). Other failures throw.
Napi::Value Connect(const Napi::CallbackInfo& info) {
  int64_t fd, port;
  std::string host;
  if (!ArgInt(info, 0, &fd) || !ArgString(info, 1, &host) || !ArgInt(info, 2, &port))
    return info.Env().Undefined();
  sockaddr_storage addr;
  socklen_t len;
  if (!MakeAddress(host, static_cast<int>(port), &addr, &len))
    return ThrowErrno(info.Env(), -EINVAL, "connect");
  int rc = RetryOnEintr([&] { return connect(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&addr), len); });
  if (rc == 0) return Napi::Boolean::New(info.Env(), true);
  if (errno == EINPROGRESS) return Napi::Boolean::New(info.Env(), false);
  return ThrowErrno(info.Env(), -errno, "connect");
}

// socketError(fd) -> the pending error (getsockopt SO_ERROR), 0 when none.
Napi::Value SocketError(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_ERROR, &err, &len) < 0)
    return ThrowErrno(info.Env(), -errno, "getsockopt");
  return Napi::Number::New(info.Env(), err);
}

// send(fd, buffer, offset, length) -> bytes sent. MSG_NOSIGNAL: a closed peer
// is an EPIPE error, never a SIGPIPE that kills the process.
Napi::Value Send(const Napi::CallbackInfo& info) {
  int64_t fd, offset, length;
  Napi::Buffer<uint8_t> buf;
  if (!ArgInt(info, 0, &fd) || !ArgBuffer(info, 1, &buf) || !ArgInt(info, 2, &offset) ||
      !ArgInt(info, 3, &length) || !ArgRange(info.Env(), offset, length, buf.Length()))
    return info.Env().Undefined();
  ssize_t n = RetryOnEintr([&] { return send(static_cast<int>(fd), buf.Data() + offset, static_cast<size_t>(length), MSG_NOSIGNAL); });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "send");
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

// recv(fd, buffer, offset, length) -> bytes received (0 at end of stream).
Napi::Value Recv(const Napi::CallbackInfo& info) {
  int64_t fd, offset, length;
  Napi::Buffer<uint8_t> buf;
  if (!ArgInt(info, 0, &fd) || !ArgBuffer(info, 1, &buf) || !ArgInt(info, 2, &offset) ||
      !ArgInt(info, 3, &length) || !ArgRange(info.Env(), offset, length, buf.Length()))
    return info.Env().Undefined();
  ssize_t n = RetryOnEintr([&] { return recv(static_cast<int>(fd), buf.Data() + offset, static_cast<size_t>(length), 0); });
  if (n < 0) return ThrowErrno(info.Env(), -errno, "recv");
  return Napi::Number::New(info.Env(), static_cast<double>(n));
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

// socketType(fd) -> SO_TYPE (SOCK_STREAM, ...); throws ENOTSOCK for non-sockets.
Napi::Value SocketType(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  int type = 0;
  socklen_t len = sizeof(type);
  if (getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_TYPE, &type, &len) < 0)
    return ThrowErrno(info.Env(), -errno, "getsockopt");
  return Napi::Number::New(info.Env(), type);
}

// Shared by getsockname/getpeername: {family, address, port}.
Napi::Value AddressOf(const Napi::CallbackInfo& info, bool peer) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  sockaddr_storage addr;
  socklen_t len = sizeof(addr);
  int rc = peer ? getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&addr), &len)
                : getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc < 0) return ThrowErrno(info.Env(), -errno, peer ? "getpeername" : "getsockname");
  Napi::Object out = Napi::Object::New(info.Env());
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    out.Set("family", "AF_INET");
    out.Set("port", Napi::Number::New(info.Env(), ntohs(v4->sin_port)));
  } else if (addr.ss_family == AF_INET6) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    out.Set("family", "AF_INET6");
    out.Set("port", Napi::Number::New(info.Env(), ntohs(v6->sin6_port)));
  } else {
    out.Set("family", "AF_UNIX");
    out.Set("port", info.Env().Null());
  }
  out.Set("address", text);
  return out;
}

Napi::Value GetSockName(const Napi::CallbackInfo& info) { return AddressOf(info, false); }
Napi::Value GetPeerName(const Napi::CallbackInfo& info) { return AddressOf(info, true); }

// listenTcp(host, port, backlog) -> fd: a bound, listening non-blocking
// socket (tests use it as a throwaway peer on 127.0.0.1, port 0).
Napi::Value ListenTcp(const Napi::CallbackInfo& info) {
  int64_t port, backlog;
  std::string host;
  if (!ArgString(info, 0, &host) || !ArgInt(info, 1, &port) || !ArgInt(info, 2, &backlog))
    return info.Env().Undefined();
  sockaddr_storage addr;
  socklen_t len;
  if (!MakeAddress(host, static_cast<int>(port), &addr, &len))
    return ThrowErrno(info.Env(), -EINVAL, "bind");
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return ThrowErrno(info.Env(), -errno, "socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) < 0 ||
      listen(fd, static_cast<int>(backlog)) < 0) {
    int err = errno;
    close(fd);
    return ThrowErrno(info.Env(), -err, "bind");
  }
  State(info.Env())->Track(fd, "socket");
  return Napi::Number::New(info.Env(), fd);
}

// accept(fd) -> new non-blocking fd.
Napi::Value Accept(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!ArgInt(info, 0, &fd)) return info.Env().Undefined();
  int conn = RetryOnEintr([&] { return accept4(static_cast<int>(fd), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC); });
  if (conn < 0) return ThrowErrno(info.Env(), -errno, "accept");
  State(info.Env())->Track(conn, "socket");
  return Napi::Number::New(info.Env(), conn);
}

}  // namespace

void InitSocket(Napi::Env env, Napi::Object exports) {
  exports.Set("socketTcp", Napi::Function::New(env, SocketTcp, "socketTcp"));
  exports.Set("socketpair", Napi::Function::New(env, SocketPair, "socketpair"));
  exports.Set("connect", Napi::Function::New(env, Connect, "connect"));
  exports.Set("socketError", Napi::Function::New(env, SocketError, "socketError"));
  exports.Set("send", Napi::Function::New(env, Send, "send"));
  exports.Set("recv", Napi::Function::New(env, Recv, "recv"));
  exports.Set("shutdown", Napi::Function::New(env, Shutdown, "shutdown"));
  exports.Set("setsockoptInt", Napi::Function::New(env, SetsockoptInt, "setsockoptInt"));
  exports.Set("setLinger", Napi::Function::New(env, SetLinger, "setLinger"));
  exports.Set("socketType", Napi::Function::New(env, SocketType, "socketType"));
  exports.Set("getsockname", Napi::Function::New(env, GetSockName, "getsockname"));
  exports.Set("getpeername", Napi::Function::New(env, GetPeerName, "getpeername"));
  exports.Set("listenTcp", Napi::Function::New(env, ListenTcp, "listenTcp"));
  exports.Set("accept", Napi::Function::New(env, Accept, "accept"));
  Napi::Object c = Napi::Object::New(env);
  c.Set("SOL_SOCKET", Napi::Number::New(env, SOL_SOCKET));
  c.Set("SO_SNDBUF", Napi::Number::New(env, SO_SNDBUF));
  c.Set("SO_RCVBUF", Napi::Number::New(env, SO_RCVBUF));
  c.Set("IPPROTO_TCP", Napi::Number::New(env, IPPROTO_TCP));
  c.Set("TCP_NODELAY", Napi::Number::New(env, TCP_NODELAY));
  c.Set("SOCK_STREAM", Napi::Number::New(env, SOCK_STREAM));
  c.Set("SOCK_DGRAM", Napi::Number::New(env, SOCK_DGRAM));
  c.Set("SHUT_RD", Napi::Number::New(env, SHUT_RD));
  c.Set("SHUT_WR", Napi::Number::New(env, SHUT_WR));
  c.Set("SHUT_RDWR", Napi::Number::New(env, SHUT_RDWR));
  exports.Set("socketConstants", c);
}

}  // namespace loopspec
