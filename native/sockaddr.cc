// sockaddr.cc: struct sockaddr to and from the plain objects TypeScript sees
// (common.h describes them), and inet_pton, with which TypeScript tells a
// numeric host from a name before deciding whether to resolve it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>

#include "common.h"

namespace loopspec {

namespace {

bool Fail(Napi::Env env, const char* message) {
  ThrowArg(env, message);
  return false;
}

// An optional integer field; absent or undefined reads as 0.
bool OptionalUint32(Napi::Object obj, const char* name, uint32_t* out) {
  Napi::Value v = obj.Get(name);
  if (v.IsUndefined()) {
    *out = 0;
    return true;
  }
  if (!v.IsNumber()) return Fail(obj.Env(), "address fields must be numbers");
  *out = v.As<Napi::Number>().Uint32Value();
  return true;
}

bool InetAddress(Napi::Object obj, int family, SockAddr* out) {
  Napi::Value host = obj.Get("host");
  Napi::Value port = obj.Get("port");
  if (!host.IsString() || !port.IsNumber())
    return Fail(obj.Env(), "address.host must be a string and address.port a number");
  std::string text = host.As<Napi::String>().Utf8Value();
  uint16_t net_port = htons(static_cast<uint16_t>(port.As<Napi::Number>().Uint32Value()));
  if (family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out->storage);
    if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) != 1)
      return Fail(obj.Env(), "address.host must be a numeric IPv4 address");
    v4->sin_family = AF_INET;
    v4->sin_port = net_port;
    out->length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out->storage);
  uint32_t flowinfo, scope_id;
  if (!OptionalUint32(obj, "flowinfo", &flowinfo) || !OptionalUint32(obj, "scopeId", &scope_id))
    return false;
  if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) != 1)
    return Fail(obj.Env(), "address.host must be a numeric IPv6 address");
  v6->sin6_family = AF_INET6;
  v6->sin6_port = net_port;
  v6->sin6_flowinfo = htonl(flowinfo);
  v6->sin6_scope_id = scope_id;
  out->length = sizeof(sockaddr_in6);
  return true;
}

// Linux's two encodings: a pathname is NUL-terminated inside sun_path and the
// length counts the NUL; an abstract name (leading NUL) or the empty address
// (bind: pick an abstract name) is exactly its bytes, NULs and all.
bool UnixAddress(Napi::Object obj, SockAddr* out) {
  Napi::Value path = obj.Get("path");
  void* data;
  size_t n;
  if (!TypedArrayData(obj.Env(), path, napi_uint8_array, &data, &n)) return Fail(obj.Env(), "address.path must be a Buffer");
  const uint8_t* bytes = static_cast<const uint8_t*>(data);
  auto* un = reinterpret_cast<sockaddr_un*>(&out->storage);
  bool abstract = n == 0 || bytes[0] == 0;
  size_t terminator = abstract ? 0 : 1;
  if (n + terminator > sizeof(un->sun_path)) {
    Napi::RangeError::New(obj.Env(), "address.path does not fit in sun_path")
        .ThrowAsJavaScriptException();
    return false;
  }
  un->sun_family = AF_UNIX;
  std::memcpy(un->sun_path, bytes, n);
  out->length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + n + terminator);
  return true;
}

// inetPton(family, text) -> the address's bytes in network order, or null when
// text is not a numeric address of that family.
Napi::Value InetPton(const Napi::CallbackInfo& info) {
  int64_t family;
  std::string text;
  if (!ArgInt(info, 0, &family) || !ArgString(info, 1, &text)) return info.Env().Undefined();
  in6_addr bytes;
  int rc = inet_pton(static_cast<int>(family), text.c_str(), &bytes);
  if (rc < 0) return ThrowErrno(info.Env(), -errno, "inet_pton");
  if (rc == 0) return info.Env().Null();
  size_t size = family == AF_INET ? sizeof(in_addr) : sizeof(in6_addr);
  return Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<uint8_t*>(&bytes), size);
}

}  // namespace

bool ArgSockAddr(const Napi::CallbackInfo& info, size_t i, SockAddr* out) {
  if (info.Length() <= i || !info[i].IsObject())
    return Fail(info.Env(), "expected a socket address object");
  Napi::Object obj = info[i].As<Napi::Object>();
  std::memset(&out->storage, 0, sizeof(out->storage));
  Napi::Value family = obj.Get("family");
  if (!family.IsNumber()) return Fail(info.Env(), "address.family must be a number");
  int af = family.As<Napi::Number>().Int32Value();
  if (af == AF_INET || af == AF_INET6) return InetAddress(obj, af, out);
  if (af == AF_UNIX) return UnixAddress(obj, out);
  return Fail(info.Env(), "address.family must be AF_INET, AF_INET6 or AF_UNIX");
}

Napi::Value SockAddrValue(Napi::Env env, const sockaddr* addr, socklen_t length) {
  // No address at all (Python's None), as recvfrom reports for some sockets.
  if (length < sizeof(sa_family_t)) return env.Null();
  Napi::Object out = Napi::Object::New(env);
  out.Set("family", Napi::Number::New(env, addr->sa_family));
  char text[INET6_ADDRSTRLEN] = "";
  if (addr->sa_family == AF_INET) {
    auto* v4 = reinterpret_cast<const sockaddr_in*>(addr);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    out.Set("host", text);
    out.Set("port", Napi::Number::New(env, ntohs(v4->sin_port)));
  } else if (addr->sa_family == AF_INET6) {
    auto* v6 = reinterpret_cast<const sockaddr_in6*>(addr);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    out.Set("host", text);
    out.Set("port", Napi::Number::New(env, ntohs(v6->sin6_port)));
    out.Set("flowinfo", Napi::Number::New(env, ntohl(v6->sin6_flowinfo)));
    out.Set("scopeId", Napi::Number::New(env, v6->sin6_scope_id));
  } else if (addr->sa_family == AF_UNIX) {
    auto* un = reinterpret_cast<const sockaddr_un*>(addr);
    size_t n = length - offsetof(sockaddr_un, sun_path);
    if (n > sizeof(un->sun_path)) n = sizeof(un->sun_path);
    // An abstract name is all its bytes; a pathname ends at its NUL.
    if (n > 0 && un->sun_path[0] != 0) n = strnlen(un->sun_path, n);
    out.Set("path", Napi::Buffer<uint8_t>::Copy(
                        env, reinterpret_cast<const uint8_t*>(un->sun_path), n));
  } else {
    // Python's (family, sa_data) for families it has no shape for.
    out.Set("data", Napi::Buffer<uint8_t>::Copy(
                        env, reinterpret_cast<const uint8_t*>(addr->sa_data), sizeof(addr->sa_data)));
  }
  return out;
}

void InitSockaddr(Napi::Env env, Napi::Object exports) {
  exports.Set("inetPton", Napi::Function::New(env, InetPton, "inetPton"));
  Napi::Object c = Napi::Object::New(env);
  // sizeof(sun_path): 108 bytes, a pathname's terminating NUL included.
  c.Set("SUN_PATH_SIZE", Napi::Number::New(env, sizeof(sockaddr_un::sun_path)));
  exports.Set("sockaddrConstants", c);
}

}  // namespace loopspec
