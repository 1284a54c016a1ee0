// dns.cc: getaddrinfo and getnameinfo, synchronous. They block the calling
// thread for as long as the resolver takes, so the reference loop calls them on
// its executor's worker threads, never on its own: the addon loads in every
// worker (it is context-aware) and both calls are thread-safe in glibc.
#include <netdb.h>
#include <sys/socket.h>

#include <cerrno>

#include "common.h"

namespace loopspec {

namespace {

// EAI_SYSTEM means "look at errno": that failure is an OSError of errno, as
// Python's set_gaierror makes it; every other code is a gaierror of its own.
Napi::Value ThrowGai(Napi::Env env, int code, int saved_errno, const char* syscall) {
  if (code == EAI_SYSTEM) return ThrowErrno(env, -saved_errno, syscall);
  GaiError(env, code, syscall).ThrowAsJavaScriptException();
  return env.Undefined();
}

// A string argument that may be null (NULL to the C library).
bool ArgOptionalString(const Napi::CallbackInfo& info, size_t i, std::string* out,
                       bool* present) {
  *present = info.Length() > i && !info[i].IsNull();
  return !*present || ArgString(info, i, out);
}

// getaddrinfo(host, service, family, type, proto, flags)
//   -> [[family, type, proto, canonname, address], ...]
// host and service are strings or null; canonname is '' where the C library
// gives none (Python's shape); address is sockaddr.cc's object.
Napi::Value GetAddrInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string host, service;
  bool has_host, has_service;
  int64_t family, type, proto, flags;
  if (!ArgOptionalString(info, 0, &host, &has_host) ||
      !ArgOptionalString(info, 1, &service, &has_service) || !ArgInt(info, 2, &family) ||
      !ArgInt(info, 3, &type) || !ArgInt(info, 4, &proto) || !ArgInt(info, 5, &flags))
    return env.Undefined();
  addrinfo hints = {};
  hints.ai_family = static_cast<int>(family);
  hints.ai_socktype = static_cast<int>(type);
  hints.ai_protocol = static_cast<int>(proto);
  hints.ai_flags = static_cast<int>(flags);
  addrinfo* res = nullptr;
  int rc = getaddrinfo(has_host ? host.c_str() : nullptr, has_service ? service.c_str() : nullptr,
                       &hints, &res);
  if (rc != 0) return ThrowGai(env, rc, errno, "getaddrinfo");
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (const addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    Napi::Array row = Napi::Array::New(env, 5);
    row.Set(0u, Napi::Number::New(env, ai->ai_family));
    row.Set(1u, Napi::Number::New(env, ai->ai_socktype));
    row.Set(2u, Napi::Number::New(env, ai->ai_protocol));
    row.Set(3u, Napi::String::New(env, ai->ai_canonname ? ai->ai_canonname : ""));
    row.Set(4u, SockAddrValue(env, ai->ai_addr, ai->ai_addrlen));
    out.Set(i++, row);
  }
  freeaddrinfo(res);
  return out;
}

// getnameinfo(address, flags) -> [host, service].
Napi::Value GetNameInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SockAddr addr;
  int64_t flags;
  if (!ArgSockAddr(info, 0, &addr) || !ArgInt(info, 1, &flags)) return env.Undefined();
  char host[NI_MAXHOST];
  char service[NI_MAXSERV];
  int rc = getnameinfo(addr.get(), addr.length, host, sizeof(host), service, sizeof(service),
                       static_cast<int>(flags));
  if (rc != 0) return ThrowGai(env, rc, errno, "getnameinfo");
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::String::New(env, host));
  out.Set(1u, Napi::String::New(env, service));
  return out;
}

}  // namespace

void InitDns(Napi::Env env, Napi::Object exports) {
  exports.Set("getaddrinfo", Napi::Function::New(env, GetAddrInfo, "getaddrinfo"));
  exports.Set("getnameinfo", Napi::Function::New(env, GetNameInfo, "getnameinfo"));
  Napi::Object c = Napi::Object::New(env);
  LOOPSPEC_CONSTANT(c, AI_PASSIVE);
  LOOPSPEC_CONSTANT(c, AI_CANONNAME);
  LOOPSPEC_CONSTANT(c, AI_NUMERICHOST);
  LOOPSPEC_CONSTANT(c, AI_NUMERICSERV);
  LOOPSPEC_CONSTANT(c, AI_V4MAPPED);
  LOOPSPEC_CONSTANT(c, AI_ALL);
  LOOPSPEC_CONSTANT(c, AI_ADDRCONFIG);
  LOOPSPEC_CONSTANT(c, NI_NUMERICHOST);
  LOOPSPEC_CONSTANT(c, NI_NUMERICSERV);
  LOOPSPEC_CONSTANT(c, NI_NOFQDN);
  LOOPSPEC_CONSTANT(c, NI_NAMEREQD);
  LOOPSPEC_CONSTANT(c, NI_DGRAM);
  LOOPSPEC_CONSTANT(c, NI_MAXHOST);
  LOOPSPEC_CONSTANT(c, NI_MAXSERV);
// Stringified here, not through LOOPSPEC_CONSTANT: a second macro would see
// the expanded value (-2), not the name.
#define LOOPSPEC_EAI(name) c.Set(#name, Napi::Number::New(env, name));
  LOOPSPEC_EAI_CODES(LOOPSPEC_EAI)
#undef LOOPSPEC_EAI
  exports.Set("dnsConstants", c);
}

}  // namespace loopspec
