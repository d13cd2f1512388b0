#include "https_load.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "payload.h"

namespace loadgen {
namespace {

using Clock = std::chrono::steady_clock;

enum class Phase { kConnecting, kHandshake, kWriting, kReading };

struct Connection {
  int index = 0;
  SSL_CTX* ctx = nullptr;
  int fd = -1;
  SSL* ssl = nullptr;
  Phase phase = Phase::kConnecting;
  std::uint32_t interest = 0;  // The epoll events currently registered.
  std::string out;
  std::size_t written = 0;
  std::string in;
  std::int64_t next_ms = 0;  // Time of the next point this connection sends.
  bool done = false;
};

std::string OpensslError() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return errno != 0 ? std::strerror(errno) : "connection closed";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> MakeContext(const Options& o,
                                                              const Identity& id) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        &SSL_CTX_free);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_TICKET);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(ctx.get(), o.ca_file.c_str(), nullptr) != 1 ||
      SSL_CTX_use_certificate_chain_file(ctx.get(), id.certificate.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx.get(), id.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::fprintf(stderr, "loadgen: cannot load %s / %s / %s: %s\n", o.ca_file.c_str(),
                 id.certificate.c_str(), id.key.c_str(), OpensslError().c_str());
    std::exit(2);
  }
  return ctx;
}

class HttpsLoad {
 public:
  explicit HttpsLoad(const Options& o) : o_(o) {
    address_.sin_family = AF_INET;
    address_.sin_port = htons(static_cast<std::uint16_t>(o.port));
    if (inet_pton(AF_INET, o.host.c_str(), &address_.sin_addr) != 1) {
      std::fprintf(stderr, "loadgen: --host must be an IPv4 address\n");
      std::exit(2);
    }
    for (const Identity& id : o.identities) contexts_.push_back(MakeContext(o, id));
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
  }
  ~HttpsLoad() {
    for (Connection& c : connections_) Close(c);
    close(epoll_);
  }

  LoadResult Run() {
    const auto start = Clock::now();
    deadline_ = start + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(o_.seconds));
    const auto drain_limit = deadline_ + std::chrono::seconds(10);
    connections_.resize(static_cast<std::size_t>(o_.connections));
    active_ = o_.connections;
    const std::int64_t base_ms = NowMillis();
    for (int i = 0; i < o_.connections; ++i) {
      Connection& c = connections_[static_cast<std::size_t>(i)];
      c.index = i;
      c.ctx = contexts_[static_cast<std::size_t>(i) % contexts_.size()].get();
      // Connections that share an identity (one device) get disjoint point times.
      c.next_ms = base_ms + static_cast<std::int64_t>(i) * 1'000'000'000;
      Connect(c);
    }
    std::vector<epoll_event> events(256);
    while (active_ > 0 && Clock::now() < drain_limit) {
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 100);
      for (std::size_t i = 0; i < static_cast<std::size_t>(std::max(n, 0)); ++i) {
        Drive(*static_cast<Connection*>(events[i].data.ptr));
      }
    }
    result_.seconds = std::chrono::duration<double>(last_answer_ - start).count();
    if (active_ > 0) result_.Error("requests still unanswered 10 s after the run ended");
    return result_;
  }

 private:
  void Watch(Connection& c, std::uint32_t events) {
    if (c.interest == events) return;
    epoll_event ev{.events = events, .data = {.ptr = &c}};
    epoll_ctl(epoll_, c.interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c.fd, &ev);
    c.interest = events;
  }

  void Close(Connection& c) {
    if (c.ssl != nullptr) SSL_free(c.ssl);
    if (c.fd >= 0) close(c.fd);  // Also removes it from the epoll set.
    c.ssl = nullptr;
    c.fd = -1;
    c.interest = 0;
    c.in.clear();
  }

  void Connect(Connection& c) {
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c.phase = Phase::kConnecting;
    if (connect(c.fd, reinterpret_cast<const sockaddr*>(&address_), sizeof address_) != 0 &&
        errno != EINPROGRESS) {
      Fail(c, std::string("connect: ") + std::strerror(errno));
      return;
    }
    Watch(c, EPOLLOUT);
  }

  // Stops the connection for good: an error spoils the run (the scripts refuse it), and
  // retrying at once could spin.
  void Fail(Connection& c, const std::string& what) {
    result_.Error(what);
    Close(c);
    Stop(c);
  }

  void Stop(Connection& c) {
    if (c.done) return;
    c.done = true;
    --active_;
  }

  // Handshake mode: a new connection unless the run is over.
  void Again(Connection& c) {
    Close(c);
    if (Clock::now() >= deadline_) return Stop(c);
    Connect(c);
  }

  void StartRequest(Connection& c) {
    c.out.clear();
    c.written = 0;
    if (o_.mode == Mode::kHandshake) {
      c.out = "GET " + o_.path + " HTTP/1.1\r\nHost: " + o_.host + "\r\nConnection: close\r\n\r\n";
    } else {
      const std::string body =
          TelemetryBody(c.next_ms, o_.points, static_cast<std::size_t>(o_.body_bytes));
      c.next_ms += o_.points;
      c.out =
          "POST " + o_.path + " HTTP/1.1\r\nHost: " + o_.host +
          "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
          "\r\n\r\n" + body;
    }
    c.phase = Phase::kWriting;
  }

  // Advances `c` as far as it goes without blocking.
  void Drive(Connection& c) {
    for (;;) {
      if (c.fd < 0) return;
      switch (c.phase) {
        case Phase::kConnecting: {
          int error = 0;
          socklen_t size = sizeof error;
          getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &size);
          if (error != 0) return Fail(c, std::string("connect: ") + std::strerror(error));
          c.ssl = SSL_new(c.ctx);
          SSL_set_fd(c.ssl, c.fd);
          SSL_set_connect_state(c.ssl);
          c.phase = Phase::kHandshake;
          break;
        }
        case Phase::kHandshake: {
          const int r = SSL_do_handshake(c.ssl);
          if (r != 1) return Wait(c, r, "handshake");
          StartRequest(c);
          break;
        }
        case Phase::kWriting: {
          const int r = SSL_write(c.ssl, c.out.data() + c.written,
                                  static_cast<int>(c.out.size() - c.written));
          if (r <= 0) return Wait(c, r, "write");
          c.written += static_cast<std::size_t>(r);
          if (c.written == c.out.size()) c.phase = Phase::kReading;
          break;
        }
        case Phase::kReading: {
          char buffer[16384];
          const int r = SSL_read(c.ssl, buffer, sizeof buffer);
          if (r <= 0) return Wait(c, r, "read");
          c.in.append(buffer, static_cast<std::size_t>(r));
          if (!Answered(c)) break;
          last_answer_ = Clock::now();
          if (o_.mode == Mode::kHandshake) return Again(c);
          if (last_answer_ >= deadline_) {
            Close(c);
            return Stop(c);
          }
          StartRequest(c);
          break;
        }
      }
    }
  }

  // After an OpenSSL call returned `r`: waits for the socket, or fails the connection.
  void Wait(Connection& c, int r, const char* step) {
    const int e = SSL_get_error(c.ssl, r);
    if (e == SSL_ERROR_WANT_READ) return Watch(c, EPOLLIN);
    if (e == SSL_ERROR_WANT_WRITE) return Watch(c, EPOLLOUT);
    Fail(c, std::string(step) + ": " + OpensslError());
  }

  // True once `c.in` holds a whole response; counts it and removes it from `c.in`.
  bool Answered(Connection& c) {
    const auto end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    std::size_t length = 0;
    for (std::size_t at = 0; at < end;) {
      const auto eol = c.in.find("\r\n", at);
      const std::string line = c.in.substr(at, eol - at);
      if (line.size() > 15 && strncasecmp(line.c_str(), "content-length:", 15) == 0) {
        length = std::strtoull(line.c_str() + 15, nullptr, 10);
      }
      at = eol + 2;
    }
    if (c.in.size() < end + 4 + length) return false;
    const int status = c.in.size() > 12 ? std::atoi(c.in.c_str() + 9) : 0;
    if (status >= 200 && status < 300) {
      ++result_.ok;
    } else {
      result_.Error("HTTP " + std::to_string(status) + ": " + c.in.substr(end + 4, length));
    }
    c.in.erase(0, end + 4 + length);
    return true;
  }

  const Options& o_;
  sockaddr_in address_{};
  std::vector<std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>> contexts_;
  std::vector<Connection> connections_;
  int epoll_ = -1;
  int active_ = 0;
  Clock::time_point deadline_;
  Clock::time_point last_answer_ = Clock::now();
  LoadResult result_;
};

}  // namespace

LoadResult RunHttps(const Options& options) { return HttpsLoad(options).Run(); }

}  // namespace loadgen
