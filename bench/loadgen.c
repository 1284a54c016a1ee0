// loadgen: the client of npm run bench's network trials (bench/run.ts), in a process of its own
// and the same binary for every loop, so that what a trial measures is the loop under test and
// not a client that shares its process or its runtime. Built by the bench with `cc -O2`.
//
//   loadgen echo HOST PORT [--connections N] [--size BYTES] [--warmup S] [--seconds S] [--server-pid PID]
//   loadgen sink
//   loadgen rawsendfile HOST PORT FILE
//
// echo: N connections, each with one message of BYTES outstanding: send it, wait until all of
//   it has come back, compare every byte, send the next. After the warm-up it counts for the
//   window and prints one JSON line: requests, seconds, bytes_checked, its own CPU seconds
//   (getrusage) and, given --server-pid, the server's (/proc/PID/stat), both over that window.
// sink: listens on 127.0.0.1 (the sender connects, as a loop's sock_sendfile does), prints
//   {"port": P}, accepts one connection, reads and discards until EOF, prints {"bytes": N}.
// rawsendfile: connects to a sink and sends FILE with a plain blocking sendfile(2) loop, the
//   syscall's own figure on the path the loops use; prints {"bytes": N, "seconds": S}.
//
// Any failure (a wrong byte, a refused or closed connection, bad arguments) is one line on
// stderr and exit status 1.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 1024
#define MAX_SIZE (1 << 20)
// Messages start at different offsets of one pattern, so a byte echoed twice, late or out of
// order does not match the message it is compared with.
#define PATTERN_SHIFTS 251
// A sink or sender that nobody talks to gives up after this long instead of lingering.
#define IDLE_LIMIT_S 300

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("loadgen: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double own_cpu_seconds(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/** utime + stime of another process, all its threads, from /proc/PID/stat (fields 14 and 15). */
static double process_cpu_seconds(long pid) {
  char path[64], text[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) die("cannot read %s: %s", path, strerror(errno));
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  // The command name (field 2) may hold spaces and parentheses: count from its closing one.
  char *p = strrchr(text, ')');
  unsigned long utime, stime;
  if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) die("cannot parse %s", path);
  return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

static double number(const char *text, const char *what, double min, double max) {
  char *end;
  errno = 0;
  double v = strtod(text, &end);
  if (errno || end == text || *end || v < min || v > max) die("%s must be a number from %.15g to %.15g, not \"%s\"", what, min, max, text);
  return v;
}

static int connect_to(const char *host, const char *port) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV}, *ai;
  int rc = getaddrinfo(host, port, &hints, &ai);
  if (rc) die("cannot connect to %s port %s: %s", host, port, gai_strerror(rc));
  int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) die("cannot connect to %s port %s: %s", host, port, strerror(errno));
  freeaddrinfo(ai);
  // A request is one small write: sent at once, as the echo servers' own sockets do.
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// ---------------------------------------------------------------------------
// echo

struct conn {
  int fd;
  int index;
  unsigned long messages;     // answered in full so far
  const unsigned char *msg;   // the message outstanding
  size_t sent, got;
  int wants_out;              // EPOLLOUT registered: the kernel took only part of the message
};

static int epfd;
static size_t size;
static unsigned char *pattern, *inbuf;
static unsigned long long requests, checked;

static void watch(struct conn *c, int out) {
  struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c};
  if (epoll_ctl(epfd, c->wants_out == -1 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl: %s", strerror(errno));
  c->wants_out = out;
}

static void send_rest(struct conn *c) {
  while (c->sent < size) {
    ssize_t n = send(c->fd, c->msg + c->sent, size - c->sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EAGAIN) break;
    if (n < 0) die("connection %d: send after %lu messages: %s", c->index, c->messages, strerror(errno));
    c->sent += n;
  }
  if ((c->sent < size) != c->wants_out) watch(c, c->sent < size);
}

static void next_message(struct conn *c) {
  c->msg = pattern + (c->messages * 7 + c->index) % PATTERN_SHIFTS;
  c->sent = c->got = 0;
  send_rest(c);
}

static void receive(struct conn *c) {
  // At most the rest of the outstanding message: a byte beyond it belongs to no request, and is
  // compared with the next message, which it then fails.
  ssize_t n = recv(c->fd, inbuf, size - c->got, 0);
  if (n < 0 && errno == EAGAIN) return;
  if (n < 0) die("connection %d: recv after %lu messages: %s", c->index, c->messages, strerror(errno));
  if (n == 0) die("connection %d was closed by the server after %lu messages", c->index, c->messages);
  if (c->got + n > c->sent) die("connection %d: the server echoed bytes not sent yet (message %lu)", c->index, c->messages);
  if (memcmp(inbuf, c->msg + c->got, n) != 0) {
    size_t at = 0;
    while (inbuf[at] == c->msg[c->got + at]) at++;
    die("connection %d: byte %zu of message %lu came back as %u, not %u", c->index, c->got + at, c->messages, inbuf[at], c->msg[c->got + at]);
  }
  c->got += n;
  checked += n;
  if (c->got < size) return;
  c->messages++;
  requests++;
  next_message(c);
}

static int echo(int argc, char **argv) {
  if (argc < 4) die("usage: loadgen echo HOST PORT [--connections N] [--size BYTES] [--warmup S] [--seconds S] [--server-pid PID]");
  int connections = 10;
  double warmup = 1, seconds = 5;
  long server_pid = 0;
  size = 1024;
  for (int i = 4; i < argc; i += 2) {
    if (i + 1 >= argc) die("%s needs a value", argv[i]);
    if (!strcmp(argv[i], "--connections")) connections = (int)number(argv[i + 1], "--connections", 1, MAX_CONNECTIONS);
    else if (!strcmp(argv[i], "--size")) size = (size_t)number(argv[i + 1], "--size", 1, MAX_SIZE);
    else if (!strcmp(argv[i], "--warmup")) warmup = number(argv[i + 1], "--warmup", 0, 3600);
    else if (!strcmp(argv[i], "--seconds")) seconds = number(argv[i + 1], "--seconds", 0.001, 3600);
    else if (!strcmp(argv[i], "--server-pid")) server_pid = (long)number(argv[i + 1], "--server-pid", 1, 1 << 30);
    else die("unknown option %s", argv[i]);
  }
  pattern = malloc(size + PATTERN_SHIFTS);
  inbuf = malloc(size);
  struct conn *conns = calloc(connections, sizeof *conns);
  if (!pattern || !inbuf || !conns) die("out of memory");
  for (size_t j = 0, x = 12345; j < size + PATTERN_SHIFTS; j++) pattern[j] = (unsigned char)((x = x * 1103515245 + 12345) >> 16);

  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) die("epoll_create1: %s", strerror(errno));
  for (int i = 0; i < connections; i++) {
    struct conn *c = &conns[i];
    c->fd = connect_to(argv[2], argv[3]);
    fcntl(c->fd, F_SETFL, O_NONBLOCK);
    c->index = i;
    c->wants_out = -1;
    watch(c, 0);
  }
  for (int i = 0; i < connections; i++) next_message(&conns[i]);

  double window_start = now() + warmup, window_end = window_start + seconds, started = 0;
  double cpu_start = 0, server_start = 0;
  unsigned long long requests_start = 0, checked_start = 0;
  for (;;) {
    double t = now();
    if (!started && t >= window_start) {
      started = t;
      window_end = t + seconds;
      requests_start = requests;
      checked_start = checked;
      cpu_start = own_cpu_seconds();
      if (server_pid) server_start = process_cpu_seconds(server_pid);
    }
    if (started && t >= window_end) break;
    struct epoll_event events[64];
    int timeout_ms = (int)(((started ? window_end : window_start) - t) * 1000) + 1;
    int n = epoll_wait(epfd, events, 64, timeout_ms);
    if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
    for (int i = 0; i < n; i++) {
      struct conn *c = events[i].data.ptr;
      if (events[i].events & EPOLLOUT) send_rest(c);
      if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) receive(c);
    }
  }
  double elapsed = now() - started, cpu = own_cpu_seconds() - cpu_start;
  char server[32] = "null";
  if (server_pid) snprintf(server, sizeof server, "%.3f", process_cpu_seconds(server_pid) - server_start);
  for (int i = 0; i < connections; i++) close(conns[i].fd);
  printf("{\"requests\": %llu, \"seconds\": %.6f, \"bytes_checked\": %llu, \"cpu_seconds\": %.6f, \"server_cpu_seconds\": %s}\n",
         requests - requests_start, elapsed, checked - checked_start, cpu, server);
  return 0;
}

// ---------------------------------------------------------------------------
// sink and rawsendfile

static int sink(void) {
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof addr;
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (ls < 0 || bind(ls, (struct sockaddr *)&addr, len) < 0 || listen(ls, 1) < 0 || getsockname(ls, (struct sockaddr *)&addr, &len) < 0) {
    die("cannot listen on 127.0.0.1: %s", strerror(errno));
  }
  printf("{\"port\": %d}\n", ntohs(addr.sin_port));
  fflush(stdout);
  int fd = accept(ls, NULL, NULL);
  if (fd < 0) die("accept: %s", strerror(errno));
  close(ls);
  static char buf[1 << 18];
  unsigned long long total = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("read after %llu bytes: %s", total, strerror(errno));
    total += n;
  }
  printf("{\"bytes\": %llu}\n", total);
  return 0;
}

static int rawsendfile(int argc, char **argv) {
  if (argc != 5) die("usage: loadgen rawsendfile HOST PORT FILE");
  int file = open(argv[4], O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (file < 0 || fstat(file, &st) < 0) die("cannot open %s: %s", argv[4], strerror(errno));
  int sock = connect_to(argv[2], argv[3]);
  off_t offset = 0;
  double start = now();
  while (offset < st.st_size) {
    ssize_t n = sendfile(sock, file, &offset, st.st_size - offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("sendfile after %lld bytes: %s", (long long)offset, strerror(errno));
    if (n == 0) die("%s ended after %lld bytes of %lld", argv[4], (long long)offset, (long long)st.st_size);
  }
  double seconds = now() - start;
  close(sock);
  printf("{\"bytes\": %lld, \"seconds\": %.6f}\n", (long long)offset, seconds);
  return 0;
}

int main(int argc, char **argv) {
  // Gone with the bench that started it, even if that one is killed.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (argc >= 2 && !strcmp(argv[1], "echo")) return echo(argc, argv);
  alarm(IDLE_LIMIT_S);
  if (argc == 2 && !strcmp(argv[1], "sink")) return sink();
  if (argc >= 2 && !strcmp(argv[1], "rawsendfile")) return rawsendfile(argc, argv);
  die("usage: loadgen echo HOST PORT [options] | sink | rawsendfile HOST PORT FILE");
}
