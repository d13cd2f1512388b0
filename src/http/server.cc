// Server: binding, the accept loop, the io threads and graceful shutdown. The per-connection
// work is in connection.cc.

#include "http/server.h"

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility> (TOOLCHAIN.md).
#include <utility>
// The rest after it.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "http/connection.h"
#include "http/listen/listen_address.h"
#include "pki/tls_context.h"

namespace vigil::http {

namespace net = boost::asio;
using net::ip::tcp;

struct Server::Impl {
  Impl(ServerOptions server_options, Router server_router, ListenAddress listen_address)
      : options(std::move(server_options)),
        router(std::move(server_router)),
        listen(listen_address),
        io(options.threads) {}

  // Declared before `io`: connections still waiting when the io_context is destroyed use them
  // while their coroutine frames are destroyed.
  ServerOptions options;
  Router router;
  ListenAddress listen;
  net::ssl::context tls{net::ssl::context::tls_server};
  ConnectionTracker tracker;
  std::atomic<bool> stopping{false};
  ConnectionContext context{tls, router, options, tracker, stopping};

  net::io_context io;
  // The acceptor and the drain timer are used only on this strand.
  net::strand<net::io_context::executor_type> strand{io.get_executor()};
  tcp::acceptor acceptor{strand};
  net::steady_timer drain_timer{strand};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;

  std::mutex mu;  // Guards threads and started.
  std::vector<std::thread> threads;
  bool started = false;
  std::atomic<std::uint16_t> port{0};

  net::awaitable<void> AcceptLoop();
  void BeginStop();
  void RunThread();
};

net::awaitable<void> Server::Impl::AcceptLoop() {
  auto last_refusal_log = std::chrono::steady_clock::time_point{};
  for (;;) {
    boost::system::error_code ec;
    // Each connection gets its own strand. Named, not a temporary: g++ 12 mishandles
    // temporaries with destructors inside co_await expressions.
    const net::any_io_executor connection_strand = net::make_strand(io);
    tcp::socket socket = co_await acceptor.async_accept(
        connection_strand, net::redirect_error(net::use_awaitable, ec));
    if (stopping.load()) {
      co_return;
    }
    if (ec) {
      // EMFILE and the like: back off rather than spin.
      spdlog::warn("http: accept failed: {}", ec.message());
      net::steady_timer pause(strand, std::chrono::milliseconds(100));
      co_await pause.async_wait(net::redirect_error(net::use_awaitable, ec));
      continue;
    }
    if (tracker.size() >= options.max_connections) {
      socket.close(ec);
      if (const auto now = std::chrono::steady_clock::now();
          now - last_refusal_log > std::chrono::seconds(1)) {
        last_refusal_log = now;
        spdlog::warn("http: {} connections open (max_connections); refusing new ones",
                     options.max_connections);
      }
      continue;
    }
    auto executor = socket.get_executor();
    net::co_spawn(executor, ServeConnection(std::move(socket), context), net::detached);
  }
}

// Runs on the strand.
void Server::Impl::BeginStop() {
  boost::system::error_code ignored;
  acceptor.close(ignored);
  tracker.CloseIdle();
  work.reset();
  if (tracker.size() == 0) {
    return;
  }
  drain_timer.expires_after(options.shutdown_timeout);
  drain_timer.async_wait([this](boost::system::error_code ec) {
    if (!ec) {
      spdlog::warn("http: shutdown timeout; closing {} connections", tracker.size());
      io.stop();
    }
  });
}

void Server::Impl::RunThread() {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http: io thread: {}", e.what());
    }
  }
}

namespace {

Status CheckOptions(const ServerOptions& options) {
  auto invalid = [](std::string what) {
    return MakeError(ErrorCode::kInvalidArgument, "http: " + what);
  };
  if (options.threads < 1 || options.threads > 256) {
    return invalid("threads must be 1 to 256");
  }
  if (options.max_header_bytes < 1024 || options.max_header_bytes > (64u << 20)) {
    return invalid("max_header_bytes must be 1 KiB to 64 MiB");
  }
  if (options.max_body_bytes == 0) {
    return invalid("max_body_bytes must be positive");
  }
  if (options.max_connections == 0) {
    return invalid("max_connections must be positive");
  }
  for (const auto timeout : {options.read_timeout, options.idle_timeout, options.handshake_timeout,
                             options.shutdown_timeout}) {
    if (timeout.count() <= 0) {
      return invalid("timeouts must be positive");
    }
  }
  return OkStatus();
}

std::string Lowercase(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, Router router) {
  auto listen = ParseListenAddress(options.listen);
  if (!listen) {
    return tl::unexpected(Annotate(listen.error(), "http"));
  }
  VIGIL_RETURN_IF_ERROR(CheckOptions(options));
  try {
    pki::ServerTlsSettings tls_settings{.cert_file = options.cert_file,
                                        .key_file = options.key_file};
    auto impl = std::make_unique<Impl>(std::move(options), std::move(router), *listen);
    if (impl->options.configure_tls) {
      VIGIL_RETURN_IF_ERROR(impl->options.configure_tls(impl->tls.native_handle()));
    } else {
      VIGIL_RETURN_IF_ERROR(
          pki::ConfigureServerTlsContext(impl->tls.native_handle(), tls_settings));
    }
    return std::unique_ptr<Server>(new Server(std::move(impl)));
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, std::string("http: ") + e.what());
  }
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  Impl* raw = impl_.get();
  impl_->tracker.SetOnEmpty([raw] {
    if (raw->stopping.load()) {
      net::post(raw->strand, [raw] { raw->drain_timer.cancel(); });
    }
  });
}

Server::~Server() {
  Stop();
  Wait();
  // The io_context, destroyed next, may end connections; nothing may be posted by then.
  impl_->tracker.SetOnEmpty(nullptr);
}

Status Server::Start() {
  std::lock_guard lock(impl_->mu);
  if (impl_->started || impl_->stopping.load()) {
    return MakeError(ErrorCode::kFailedPrecondition, "http: server already started or stopped");
  }
  const std::string where = "listen " + impl_->listen.ToString();
  boost::system::error_code ec;
  const tcp::endpoint endpoint(net::ip::make_address(impl_->listen.address.ToString(), ec),
                               impl_->listen.port);
  auto& acceptor = impl_->acceptor;
  if (!ec) acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return MakeError(ErrorCode::kUnavailable, where + ": " + Lowercase(ec.message()));
  }
  impl_->port = acceptor.local_endpoint(ec).port();
  impl_->work.emplace(impl_->io.get_executor());
  net::co_spawn(impl_->strand, impl_->AcceptLoop(), net::detached);
  // The io threads start with every asynchronous signal blocked, so SIGINT and SIGTERM reach the
  // application's signal handling (which then calls Stop), never a server thread.
  sigset_t all;
  sigset_t previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  impl_->started = true;  // From here on Wait joins whatever threads did start.
  Status status = OkStatus();
  try {
    for (int i = 0; i < impl_->options.threads; ++i) {
      impl_->threads.emplace_back([impl = impl_.get()] { impl->RunThread(); });
    }
  } catch (const std::system_error& e) {
    status =
        MakeError(ErrorCode::kResourceExhausted, "http: start threads: " + std::string(e.what()));
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  VIGIL_RETURN_IF_ERROR(status);
  const ListenAddress bound{.address = impl_->listen.address, .port = impl_->port.load()};
  spdlog::info("{}: listening on {} with {} threads", impl_->options.log_name, bound.ToString(),
               impl_->options.threads);
  return OkStatus();
}

std::uint16_t Server::port() const { return impl_->port.load(); }

void Server::Stop() {
  if (impl_->stopping.exchange(true)) {
    return;
  }
  net::post(impl_->strand, [impl = impl_.get()] { impl->BeginStop(); });
}

void Server::Wait() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(impl_->mu);
    threads.swap(impl_->threads);
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

}  // namespace vigil::http
