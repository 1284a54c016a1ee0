// tls.cc: TLS as a byte transformer, OpenSSL over memory BIOs. Nothing here touches a
// descriptor or blocks: the loop (reference/) moves ciphertext between the socket and the two
// BIOs, and asks for the handshake, reads, writes and the shutdown, each of which returns at
// once with what OpenSSL wants next. The OpenSSL is Node's own (its headers ship with Node and
// the node binary exports the symbols), so the addon links against nothing else.
//
// Handles cross to TypeScript as externals whose finalizers free the SSL_CTX / SSL; a session
// keeps its context alive (SSL_new takes a reference).
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>

#include "common.h"

namespace loopspec {

namespace {

// What a handshake, read or write step asks for next.
enum Want { kDone = 0, kWantRead = 1, kWantWrite = 2, kClosed = 3 };

struct Session {
  SSL* ssl;
  BIO* incoming;  // ciphertext from the peer, fed by the loop (SSL reads it)
  BIO* outgoing;  // ciphertext for the peer, drained by the loop (SSL writes it)
};

void FreeContext(Napi::Env, SSL_CTX* ctx) { SSL_CTX_free(ctx); }
void FreeSession(Napi::Env, Session* s) {
  SSL_free(s->ssl);  // frees both BIOs
  delete s;
}

// The error of a failed TLS call: {code: 'SSL_ERROR_SSL' | 'SSL_ERROR_SYSCALL' | ..., library,
// reason, verifyCode, verifyMessage}, the fields Python's ssl.SSLError and
// SSLCertVerificationError carry. OpenSSL's error queue is emptied either way.
Napi::Value ThrowTls(Napi::Env env, Session* s, int ssl_error, const char* op) {
  unsigned long e = ERR_peek_last_error();
  const char* reason = e ? ERR_reason_error_string(e) : nullptr;
  const char* lib = e ? ERR_lib_error_string(e) : nullptr;
  std::string message = std::string(op) + ": " + (reason ? reason : "TLS error");
  Napi::Error err = Napi::Error::New(env, message);
  const char* code = ssl_error == SSL_ERROR_SSL ? "SSL_ERROR_SSL"
                     : ssl_error == SSL_ERROR_SYSCALL ? "SSL_ERROR_SYSCALL"
                     : ssl_error == SSL_ERROR_ZERO_RETURN ? "SSL_ERROR_ZERO_RETURN"
                     : "SSL_ERROR";
  err.Set("code", Napi::String::New(env, code));
  err.Set("library", lib ? Napi::Value(Napi::String::New(env, lib)) : env.Null());
  err.Set("reason", reason ? Napi::Value(Napi::String::New(env, reason)) : env.Null());
  long verify = s ? SSL_get_verify_result(s->ssl) : X509_V_OK;
  err.Set("verifyCode", Napi::Number::New(env, static_cast<double>(verify)));
  err.Set("verifyMessage", Napi::String::New(env, X509_verify_cert_error_string(verify)));
  ERR_clear_error();
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

SSL_CTX* ArgContext(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || !info[i].IsExternal()) {
    ThrowArg(info.Env(), "a TLS context handle");
    return nullptr;
  }
  return info[i].As<Napi::External<SSL_CTX>>().Data();
}

Session* ArgSession(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || !info[i].IsExternal()) {
    ThrowArg(info.Env(), "a TLS session handle");
    return nullptr;
  }
  return info[i].As<Napi::External<Session>>().Data();
}

// tlsContext(server: bool) -> context: TLS 1.2 and later, no verification yet.
Napi::Value Context(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsBoolean()) return ThrowArg(env, "server must be a boolean");
  bool server = info[0].As<Napi::Boolean>();
  SSL_CTX* ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  if (!ctx) return ThrowTls(env, nullptr, SSL_ERROR_SSL, "SSL_CTX_new");
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // A write may be given again from a new buffer (a transport's queue moves).
  SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
  return Napi::External<SSL_CTX>::New(env, ctx, FreeContext);
}

// tlsLoadVerifyLocations(ctx, cafile): trust the certificates of a PEM file.
Napi::Value LoadVerifyLocations(const Napi::CallbackInfo& info) {
  SSL_CTX* ctx = ArgContext(info, 0);
  std::string cafile;
  if (!ctx || !ArgString(info, 1, &cafile)) return info.Env().Undefined();
  if (SSL_CTX_load_verify_locations(ctx, cafile.c_str(), nullptr) != 1)
    return ThrowTls(info.Env(), nullptr, SSL_ERROR_SSL, "load_verify_locations");
  return info.Env().Undefined();
}

// tlsSetDefaultVerifyPaths(ctx): trust the system's certificate authorities.
Napi::Value SetDefaultVerifyPaths(const Napi::CallbackInfo& info) {
  SSL_CTX* ctx = ArgContext(info, 0);
  if (!ctx) return info.Env().Undefined();
  if (SSL_CTX_set_default_verify_paths(ctx) != 1)
    return ThrowTls(info.Env(), nullptr, SSL_ERROR_SSL, "set_default_verify_paths");
  return info.Env().Undefined();
}

// tlsLoadCertChain(ctx, certfile, keyfile): this side's certificate and key (PEM files).
Napi::Value LoadCertChain(const Napi::CallbackInfo& info) {
  SSL_CTX* ctx = ArgContext(info, 0);
  std::string certfile, keyfile;
  if (!ctx || !ArgString(info, 1, &certfile) || !ArgString(info, 2, &keyfile)) return info.Env().Undefined();
  if (SSL_CTX_use_certificate_chain_file(ctx, certfile.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, keyfile.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1)
    return ThrowTls(info.Env(), nullptr, SSL_ERROR_SSL, "load_cert_chain");
  return info.Env().Undefined();
}

// tlsSetVerify(ctx, required: bool): whether the peer's certificate must verify.
Napi::Value SetVerify(const Napi::CallbackInfo& info) {
  SSL_CTX* ctx = ArgContext(info, 0);
  if (!ctx) return info.Env().Undefined();
  if (info.Length() < 2 || !info[1].IsBoolean()) return ThrowArg(info.Env(), "required must be a boolean");
  bool required = info[1].As<Napi::Boolean>();
  SSL_CTX_set_verify(ctx, required ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_NONE, nullptr);
  return info.Env().Undefined();
}

// tlsSession(ctx, server: bool, hostname: string | null) -> session. A client's hostname is
// sent as SNI and, when the context verifies, matched against the certificate (a numeric
// address as an IP address).
Napi::Value NewSession(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SSL_CTX* ctx = ArgContext(info, 0);
  if (!ctx) return env.Undefined();
  if (info.Length() < 3 || !info[1].IsBoolean()) return ThrowArg(env, "server must be a boolean");
  bool server = info[1].As<Napi::Boolean>();
  SSL* ssl = SSL_new(ctx);
  if (!ssl) return ThrowTls(env, nullptr, SSL_ERROR_SSL, "SSL_new");
  auto* s = new Session{ssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem())};
  // An empty memory BIO means "no data yet", never end of file.
  BIO_set_mem_eof_return(s->incoming, -1);
  BIO_set_mem_eof_return(s->outgoing, -1);
  SSL_set_bio(ssl, s->incoming, s->outgoing);
  if (server) {
    SSL_set_accept_state(ssl);
  } else {
    SSL_set_connect_state(ssl);
    if (info[2].IsString()) {
      std::string host = info[2].As<Napi::String>();
      ASN1_OCTET_STRING* ip = a2i_IPADDRESS(host.c_str());
      if (ip) {
        ASN1_OCTET_STRING_free(ip);
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
      } else {
        SSL_set_tlsext_host_name(ssl, host.c_str());
        SSL_set1_host(ssl, host.c_str());
      }
    }
  }
  return Napi::External<Session>::New(env, s, FreeSession);
}

// What an SSL_* call's result means: a Want, or an error thrown.
Napi::Value Outcome(Napi::Env env, Session* s, int result, const char* op) {
  int e = SSL_get_error(s->ssl, result);
  switch (e) {
    case SSL_ERROR_NONE: return Napi::Number::New(env, kDone);
    case SSL_ERROR_WANT_READ: return Napi::Number::New(env, kWantRead);
    case SSL_ERROR_WANT_WRITE: return Napi::Number::New(env, kWantWrite);
    case SSL_ERROR_ZERO_RETURN: return Napi::Number::New(env, kClosed);
    default: return ThrowTls(env, s, e, op);
  }
}

// tlsHandshake(session) -> 0 done, 1 wants more from the peer (feed, then call again).
Napi::Value Handshake(const Napi::CallbackInfo& info) {
  Session* s = ArgSession(info, 0);
  if (!s) return info.Env().Undefined();
  return Outcome(info.Env(), s, SSL_do_handshake(s->ssl), "do_handshake");
}

// tlsFeed(session, buf, offset, length) -> bytes taken: ciphertext from the peer.
Napi::Value Feed(const Napi::CallbackInfo& info) {
  Session* s = ArgSession(info, 0);
  Bytes span;
  if (!s || !ArgSpan(info, 1, &span)) return info.Env().Undefined();
  if (span.length == 0) return ByteCount(info.Env(), 0);
  int n = BIO_write(s->incoming, span.data, static_cast<int>(span.length > INT_MAX ? INT_MAX : span.length));
  if (n < 0) return ThrowTls(info.Env(), s, SSL_ERROR_SSL, "BIO_write");
  return ByteCount(info.Env(), n);
}

// tlsPending(session) -> bytes of ciphertext waiting to go to the peer.
Napi::Value Pending(const Napi::CallbackInfo& info) {
  Session* s = ArgSession(info, 0);
  if (!s) return info.Env().Undefined();
  return ByteCount(info.Env(), static_cast<ssize_t>(BIO_ctrl_pending(s->outgoing)));
}

// tlsDrain(session, buf, offset, length) -> bytes of ciphertext for the peer copied out.
Napi::Value Drain(const Napi::CallbackInfo& info) {
  Session* s = ArgSession(info, 0);
  Bytes span;
  if (!s || !ArgSpan(info, 1, &span)) return info.Env().Undefined();
  if (span.length == 0 || BIO_ctrl_pending(s->outgoing) == 0) return ByteCount(info.Env(), 0);
  int n = BIO_read(s->outgoing, span.data, static_cast<int>(span.length > INT_MAX ? INT_MAX : span.length));
  return ByteCount(info.Env(), n < 0 ? 0 : n);
}

// tlsRead(session, buf, offset, length) -> bytes of plaintext (> 0); -1 wants more from the
// peer; 0 the peer closed the TLS session (close_notify).
Napi::Value Read(const Napi::CallbackInfo& info) {
  Session* s = ArgSession(info, 0);
  Bytes span;
  if (!s || !ArgSpan(info, 1, &span)) return info.Env().Undefined();
  size_t got = 0;
  int r = SSL_read_ex(s->ssl, span.data, span.length, &got);
  if (r == 1) return ByteCount(info.Env(), static_cast<ssize_t>(got));
  Napi::Value want = Outcome(info.Env(), s, r, "read");
  if (info.Env().IsExceptionPending()) return info.Env().Undefined();
  int w = want.As<Napi::Number>().Int32Value();
  return Napi::Number::New(info.Env(), w == kClosed ? 0 : -w);
}

// tlsWrite(session, buf, offset, length) -> bytes of plaintext taken (> 0); -1 wants more from
// the peer first (a renegotiation or the handshake), -2 wants the outgoing BIO drained.
Napi::Value Write(const Napi::CallbackInfo& info) {
  Session* s = ArgSession(info, 0);
  Bytes span;
  if (!s || !ArgSpan(info, 1, &span)) return info.Env().Undefined();
  if (span.length == 0) return ByteCount(info.Env(), 0);
  size_t done = 0;
  int r = SSL_write_ex(s->ssl, span.data, span.length, &done);
  if (r == 1) return ByteCount(info.Env(), static_cast<ssize_t>(done));
  Napi::Value want = Outcome(info.Env(), s, r, "write");
  if (info.Env().IsExceptionPending()) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), -want.As<Napi::Number>().Int32Value());
}

// tlsShutdown(session) -> 1 both close_notify alerts are through, 0 ours is queued (drain it,
// and call again once the peer's has been fed to finish).
Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  Session* s = ArgSession(info, 0);
  if (!s) return info.Env().Undefined();
  int r = SSL_shutdown(s->ssl);
  if (r >= 0) return Napi::Number::New(info.Env(), r);
  // Wanting to read or write is "not yet" (0); an error is thrown.
  Outcome(info.Env(), s, r, "shutdown");
  if (info.Env().IsExceptionPending()) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), 0);
}

// tlsInfo(session) -> {version, cipher: [name, protocol, bits], peerCertificate: DER Buffer |
// null, verifyCode}: what get_extra_info('ssl_object' / 'peercert' / 'cipher') needs.
Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Session* s = ArgSession(info, 0);
  if (!s) return env.Undefined();
  Napi::Object out = Napi::Object::New(env);
  out.Set("version", Napi::String::New(env, SSL_get_version(s->ssl)));
  const SSL_CIPHER* cipher = SSL_get_current_cipher(s->ssl);
  if (cipher) {
    Napi::Array c = Napi::Array::New(env, 3);
    c.Set(0u, Napi::String::New(env, SSL_CIPHER_get_name(cipher)));
    c.Set(1u, Napi::String::New(env, SSL_CIPHER_get_version(cipher)));
    c.Set(2u, Napi::Number::New(env, SSL_CIPHER_get_bits(cipher, nullptr)));
    out.Set("cipher", c);
  } else {
    out.Set("cipher", env.Null());
  }
  X509* peer = SSL_get1_peer_certificate(s->ssl);
  if (peer) {
    int len = i2d_X509(peer, nullptr);
    Napi::Buffer<uint8_t> der = Napi::Buffer<uint8_t>::New(env, len > 0 ? len : 0);
    unsigned char* p = der.Data();
    if (len > 0) i2d_X509(peer, &p);
    X509_free(peer);
    out.Set("peerCertificate", der);
  } else {
    out.Set("peerCertificate", env.Null());
  }
  out.Set("verifyCode", Napi::Number::New(env, static_cast<double>(SSL_get_verify_result(s->ssl))));
  return out;
}

}  // namespace

void InitTls(Napi::Env env, Napi::Object exports) {
  exports.Set("tlsContext", Napi::Function::New(env, Context, "tlsContext"));
  exports.Set("tlsLoadVerifyLocations", Napi::Function::New(env, LoadVerifyLocations, "tlsLoadVerifyLocations"));
  exports.Set("tlsSetDefaultVerifyPaths", Napi::Function::New(env, SetDefaultVerifyPaths, "tlsSetDefaultVerifyPaths"));
  exports.Set("tlsLoadCertChain", Napi::Function::New(env, LoadCertChain, "tlsLoadCertChain"));
  exports.Set("tlsSetVerify", Napi::Function::New(env, SetVerify, "tlsSetVerify"));
  exports.Set("tlsSession", Napi::Function::New(env, NewSession, "tlsSession"));
  exports.Set("tlsHandshake", Napi::Function::New(env, Handshake, "tlsHandshake"));
  exports.Set("tlsFeed", Napi::Function::New(env, Feed, "tlsFeed"));
  exports.Set("tlsPending", Napi::Function::New(env, Pending, "tlsPending"));
  exports.Set("tlsDrain", Napi::Function::New(env, Drain, "tlsDrain"));
  exports.Set("tlsRead", Napi::Function::New(env, Read, "tlsRead"));
  exports.Set("tlsWrite", Napi::Function::New(env, Write, "tlsWrite"));
  exports.Set("tlsShutdown", Napi::Function::New(env, Shutdown, "tlsShutdown"));
  exports.Set("tlsInfo", Napi::Function::New(env, Info, "tlsInfo"));
}

}  // namespace loopspec
