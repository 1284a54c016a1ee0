{
  # loopspec_native: the system calls the reference loop needs, and nothing else.
  # The loop itself lives in TypeScript (reference/); this addon is its selector.
  # TLS (tls.cc) uses Node's own OpenSSL: its headers come with Node's (node-gyp's include
  # path has them) and the node binary exports its symbols, so nothing else is linked.
  "targets": [
    {
      "target_name": "loopspec_native",
      "sources": [
        "addon.cc",
        "errors.cc",
        "epoll.cc",
        "poll.cc",
        "select.cc",
        "sockaddr.cc",
        "socket.cc",
        "datagram.cc",
        "dns.cc",
        "sendfile.cc",
        "clock.cc",
        "fd.cc",
        "paths.cc",
        "process.cc",
        "tls.cc"
      ],
      "include_dirs": [
        "<!@(node -p \"require('node-addon-api').include\")"
      ],
      "defines": [
        # Node 20 ships N-API 9; asking for it makes a newer call a build error.
        "NAPI_VERSION=9",
        # Errors travel as pending JavaScript exceptions, never as C++ throws.
        "NAPI_DISABLE_CPP_EXCEPTIONS"
      ],
      "cflags": ["-fvisibility=hidden", "-Wall", "-Wextra"],
      "cflags_cc": ["-fvisibility=hidden", "-std=c++17", "-Wall", "-Wextra"]
    }
  ]
}
