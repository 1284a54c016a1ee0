// paths.cc: names in the file system, as create_unix_server uses them: stat(2) to tell a
// stale socket file from any other file, unlink(2) to remove it. A path crosses as a Buffer
// of its bytes (Python's os.fsencode), NUL-free: TypeScript checks, C++ adds the terminator.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "common.h"

namespace loopspec {

namespace {

// The Buffer at info[i] as a NUL-terminated path (false, with an exception, if it is not one).
bool ArgPath(const Napi::CallbackInfo& info, size_t i, std::string* out) {
  Bytes bytes;
  if (!ArgBytes(info, i, &bytes)) return false;
  out->assign(reinterpret_cast<const char*>(bytes.data), bytes.length);
  if (out->find('\0') != std::string::npos) {
    ThrowArg(info.Env(), "a path must not contain NUL bytes");
    return false;
  }
  return true;
}

// stat(path) -> {ino, isSocket}: symbolic links followed, as Python's os.stat().
Napi::Value Stat(const Napi::CallbackInfo& info) {
  std::string path;
  if (!ArgPath(info, 0, &path)) return info.Env().Undefined();
  struct stat st;
  if (stat(path.c_str(), &st) < 0) return ThrowErrno(info.Env(), -errno, "stat");
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("ino", Napi::Number::New(info.Env(), static_cast<double>(st.st_ino)));
  out.Set("isSocket", Napi::Boolean::New(info.Env(), S_ISSOCK(st.st_mode)));
  return out;
}

// unlink(path).
Napi::Value Unlink(const Napi::CallbackInfo& info) {
  std::string path;
  if (!ArgPath(info, 0, &path)) return info.Env().Undefined();
  if (unlink(path.c_str()) < 0) return ThrowErrno(info.Env(), -errno, "unlink");
  return info.Env().Undefined();
}

}  // namespace

void InitPaths(Napi::Env env, Napi::Object exports) {
  exports.Set("stat", Napi::Function::New(env, Stat, "stat"));
  exports.Set("unlink", Napi::Function::New(env, Unlink, "unlink"));
}

}  // namespace loopspec
