// errors.cc: the one place where -errno becomes a JavaScript error.
#include <netdb.h>

#include <cerrno>
#include <cstring>

#include "common.h"

namespace loopspec {

namespace {

// errno -> its symbolic name, as Node spells SystemError.code.
const char* ErrnoName(int err) {
  switch (err) {
#define LOOPSPEC_ERRNO(name) \
  case name:                 \
    return #name;
    LOOPSPEC_ERRNO(EPERM) LOOPSPEC_ERRNO(ENOENT) LOOPSPEC_ERRNO(ESRCH)
    LOOPSPEC_ERRNO(EINTR) LOOPSPEC_ERRNO(EIO) LOOPSPEC_ERRNO(ENXIO)
    LOOPSPEC_ERRNO(E2BIG) LOOPSPEC_ERRNO(EBADF) LOOPSPEC_ERRNO(ECHILD)
    LOOPSPEC_ERRNO(EAGAIN) LOOPSPEC_ERRNO(ENOMEM) LOOPSPEC_ERRNO(EACCES)
    LOOPSPEC_ERRNO(EFAULT) LOOPSPEC_ERRNO(EBUSY) LOOPSPEC_ERRNO(EEXIST)
    LOOPSPEC_ERRNO(ENODEV) LOOPSPEC_ERRNO(ENOTDIR) LOOPSPEC_ERRNO(EISDIR)
    LOOPSPEC_ERRNO(EINVAL) LOOPSPEC_ERRNO(ENFILE) LOOPSPEC_ERRNO(EMFILE)
    LOOPSPEC_ERRNO(EFBIG) LOOPSPEC_ERRNO(ENOSPC) LOOPSPEC_ERRNO(ESPIPE)
    LOOPSPEC_ERRNO(EROFS) LOOPSPEC_ERRNO(EPIPE) LOOPSPEC_ERRNO(ERANGE)
    LOOPSPEC_ERRNO(ENOSYS) LOOPSPEC_ERRNO(ENOTSOCK) LOOPSPEC_ERRNO(EDESTADDRREQ)
    LOOPSPEC_ERRNO(EMSGSIZE) LOOPSPEC_ERRNO(EPROTOTYPE) LOOPSPEC_ERRNO(ENOPROTOOPT)
    LOOPSPEC_ERRNO(EPROTONOSUPPORT) LOOPSPEC_ERRNO(EOPNOTSUPP)
    LOOPSPEC_ERRNO(EAFNOSUPPORT) LOOPSPEC_ERRNO(EADDRINUSE)
    LOOPSPEC_ERRNO(EADDRNOTAVAIL) LOOPSPEC_ERRNO(ENETDOWN) LOOPSPEC_ERRNO(ENETUNREACH)
    LOOPSPEC_ERRNO(ECONNABORTED) LOOPSPEC_ERRNO(ECONNRESET) LOOPSPEC_ERRNO(ENOBUFS)
    LOOPSPEC_ERRNO(EISCONN) LOOPSPEC_ERRNO(ENOTCONN) LOOPSPEC_ERRNO(ESHUTDOWN)
    LOOPSPEC_ERRNO(ETIMEDOUT) LOOPSPEC_ERRNO(ECONNREFUSED) LOOPSPEC_ERRNO(EHOSTUNREACH)
    LOOPSPEC_ERRNO(EALREADY) LOOPSPEC_ERRNO(EINPROGRESS) LOOPSPEC_ERRNO(EOVERFLOW)
#undef LOOPSPEC_ERRNO
    default:
      return "UNKNOWN";
  }
}

// EAI_* code -> its symbolic name.
const char* GaiName(int code) {
  switch (code) {
#define LOOPSPEC_EAI(name) \
  case name:               \
    return #name;
    LOOPSPEC_EAI_CODES(LOOPSPEC_EAI)
#undef LOOPSPEC_EAI
    default:
      return "UNKNOWN";
  }
}

// Node's SystemError shape, "ECONNRESET: Connection reset by peer, sendfile".
Napi::Error Shaped(Napi::Env env, const char* code, int number, const char* syscall,
                   const char* text) {
  std::string message = std::string(code) + ": " + text + ", " + syscall;
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  error.Set("errno", Napi::Number::New(env, number));
  error.Set("syscall", Napi::String::New(env, syscall));
  error.Set("strerror", Napi::String::New(env, text));
  return error;
}

}  // namespace

Napi::Error ErrnoError(Napi::Env env, int neg_errno, const char* syscall) {
  int err = neg_errno < 0 ? -neg_errno : neg_errno;
  return Shaped(env, ErrnoName(err), err, syscall, strerror(err));
}

Napi::Error GaiError(Napi::Env env, int eai_code, const char* syscall) {
  return Shaped(env, GaiName(eai_code), eai_code, syscall, gai_strerror(eai_code));
}

Napi::Value ThrowErrno(Napi::Env env, int neg_errno, const char* syscall) {
  ErrnoError(env, neg_errno, syscall).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ThrowArg(Napi::Env env, const char* message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

bool ArgInt(const Napi::CallbackInfo& info, size_t i, int64_t* out) {
  // napi_number_expected for anything but a number (info[i] past the arguments is undefined).
  if (napi_get_value_int64(info.Env(), info[i], out) == napi_ok) return true;
  ThrowArg(info.Env(), "expected an integer argument");
  return false;
}

bool TypedArrayData(napi_env env, napi_value value, napi_typedarray_type type, void** data, size_t* length) {
  // napi_invalid_arg for anything but a typed array; the data pointer is past its byteOffset.
  napi_typedarray_type actual;
  return napi_get_typedarray_info(env, value, &actual, length, data, nullptr, nullptr) == napi_ok &&
         actual == type;
}

bool ArgBytes(const Napi::CallbackInfo& info, size_t i, Bytes* out) {
  void* data;
  if (TypedArrayData(info.Env(), info[i], napi_uint8_array, &data, &out->length)) {
    out->data = static_cast<uint8_t*>(data);
    return true;
  }
  ThrowArg(info.Env(), "expected a Buffer argument");
  return false;
}

bool ArgSpan(const Napi::CallbackInfo& info, size_t i, Bytes* out) {
  Bytes whole;
  int64_t offset, length;
  if (!ArgBytes(info, i, &whole) || !ArgInt(info, i + 1, &offset) || !ArgInt(info, i + 2, &length))
    return false;
  if (offset < 0 || length < 0 || static_cast<uint64_t>(offset) > whole.length ||
      static_cast<uint64_t>(length) > whole.length - static_cast<uint64_t>(offset)) {
    Napi::RangeError::New(info.Env(), "offset/length outside the buffer").ThrowAsJavaScriptException();
    return false;
  }
  out->data = whole.data + offset;
  out->length = static_cast<size_t>(length);
  return true;
}

Napi::Value ByteCount(Napi::Env env, ssize_t n) {
  napi_value value;
  napi_status status = n <= INT32_MAX ? napi_create_int32(env, static_cast<int32_t>(n), &value)
                                      : napi_create_double(env, static_cast<double>(n), &value);
  if (status != napi_ok) return env.Undefined();
  return Napi::Value(env, value);
}

bool ArgString(const Napi::CallbackInfo& info, size_t i, std::string* out) {
  if (info.Length() <= i || !info[i].IsString()) {
    ThrowArg(info.Env(), "expected a string argument");
    return false;
  }
  *out = info[i].As<Napi::String>().Utf8Value();
  return true;
}

namespace {

// errnoName(errno): the symbolic name, for TypeScript's error mapping tests.
Napi::Value ErrnoNameJs(const Napi::CallbackInfo& info) {
  int64_t err;
  if (!ArgInt(info, 0, &err)) return info.Env().Undefined();
  return Napi::String::New(info.Env(), ErrnoName(static_cast<int>(err)));
}

// strerror(errno): the C library's text (Python's OSError.strerror).
Napi::Value StrerrorJs(const Napi::CallbackInfo& info) {
  int64_t err;
  if (!ArgInt(info, 0, &err)) return info.Env().Undefined();
  return Napi::String::New(info.Env(), strerror(static_cast<int>(err)));
}

// systemError(-errno, syscall): the error object itself, not thrown.
Napi::Value SystemErrorJs(const Napi::CallbackInfo& info) {
  int64_t err;
  std::string syscall;
  if (!ArgInt(info, 0, &err) || !ArgString(info, 1, &syscall))
    return info.Env().Undefined();
  return ErrnoError(info.Env(), static_cast<int>(err), syscall.c_str()).Value();
}

// gaiError(eaiCode, syscall): a getaddrinfo failure's error object, not thrown.
Napi::Value GaiErrorJs(const Napi::CallbackInfo& info) {
  int64_t code;
  std::string syscall;
  if (!ArgInt(info, 0, &code) || !ArgString(info, 1, &syscall))
    return info.Env().Undefined();
  return GaiError(info.Env(), static_cast<int>(code), syscall.c_str()).Value();
}

}  // namespace

void InitErrors(Napi::Env env, Napi::Object exports) {
  exports.Set("errnoName", Napi::Function::New(env, ErrnoNameJs, "errnoName"));
  exports.Set("strerror", Napi::Function::New(env, StrerrorJs, "strerror"));
  exports.Set("systemError",
              Napi::Function::New(env, SystemErrorJs, "systemError"));
  exports.Set("gaiError", Napi::Function::New(env, GaiErrorJs, "gaiError"));
}

}  // namespace loopspec
