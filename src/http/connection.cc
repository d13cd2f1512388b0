// One HTTPS connection: TLS handshake, then HTTP/1.1 requests until the peer leaves, a timeout,
// a refused request, or Stop. Only byte I/O happens here; the HTTP wire format is in wire.cc,
// so this coroutine code instantiates few Asio templates (see asio/README.md on build time).

#include "http/connection.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "http/wire.h"
#include "pki/device_certificate.h"

namespace vigil::http {

namespace net = boost::asio;
using Stream = net::ssl::stream<boost::beast::tcp_stream>;

std::shared_ptr<ConnectionState> ConnectionTracker::Add(net::any_io_executor executor) {
  auto state = std::make_shared<ConnectionState>();
  state->executor = std::move(executor);
  std::lock_guard lock(mu_);
  states_.insert(state);
  return state;
}

void ConnectionTracker::Remove(const std::shared_ptr<ConnectionState>& state) {
  std::function<void()> on_empty;
  {
    std::lock_guard lock(mu_);
    states_.erase(state);
    if (states_.empty()) {
      on_empty = on_empty_;
    }
  }
  if (on_empty) {
    on_empty();
  }
}

std::size_t ConnectionTracker::size() const {
  std::lock_guard lock(mu_);
  return states_.size();
}

void ConnectionTracker::CloseIdle() {
  std::lock_guard lock(mu_);
  for (const auto& state : states_) {
    // On the connection's strand, where `busy` and `closed` are written.
    net::post(state->executor, [state] {
      if (!state->closed && !state->busy && state->close) {
        state->close();
      }
    });
  }
}

void ConnectionTracker::SetOnEmpty(std::function<void()> on_empty) {
  std::lock_guard lock(mu_);
  on_empty_ = std::move(on_empty);
}

namespace {

// How long a closing connection waits for the peer's close_notify or for the rest of a request
// we refused, and how much of that rest it reads.
constexpr auto kCloseTimeout = std::chrono::seconds(2);
constexpr std::size_t kMaxDrainBytes = 8 << 20;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// How long a request waits for an asynchronous handler (worker pool) before a 503.
constexpr auto kHandlerTimeout = std::chrono::seconds(30);

// The answer of an asynchronous handler, handed over from a worker thread to the connection's
// strand: Complete stores it and, if the coroutine already waits, cancels its timer there.
struct PendingAnswer : std::enable_shared_from_this<PendingAnswer> {
  explicit PendingAnswer(const net::any_io_executor& executor) : timer(executor) {}

  void Complete(Response answer) {
    bool wake = false;
    {
      std::lock_guard lock(mu);
      response = std::move(answer);
      wake = waiting;
    }
    if (wake)
      net::post(timer.get_executor(), [self = shared_from_this()] { self->timer.cancel(); });
  }
  // The answer if it is here already; otherwise marks the coroutine as waiting.
  std::optional<Response> TakeOrWait() {
    std::lock_guard lock(mu);
    if (response) return std::exchange(response, std::nullopt);
    waiting = true;
    return std::nullopt;
  }
  std::optional<Response> Take() {
    std::lock_guard lock(mu);
    return std::exchange(response, std::nullopt);
  }

  std::mutex mu;
  std::optional<Response> response;
  bool waiting = false;
  net::steady_timer timer;
};

auto Redirect(boost::system::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

std::string EndpointText(const net::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) {
    return "-";
  }
  const std::string address = endpoint.address().to_string();
  return (endpoint.address().is_v6() ? "[" + address + "]" : address) + ":" +
         std::to_string(endpoint.port());
}

class Session {
 public:
  Session(Stream& stream, ConnectionState& state, const ConnectionContext& context,
          std::string remote)
      : stream_(stream),
        state_(state),
        context_(context),
        options_(context.options),
        remote_(std::move(remote)) {}

  net::awaitable<void> Run() {
    boost::system::error_code ec;
    tcp().expires_after(options_.handshake_timeout);
    co_await stream_.async_handshake(net::ssl::stream_base::server, Redirect(ec));
    if (ec) {
      spdlog::debug("{}: {}: tls handshake failed: {}", options_.log_name, remote_, ec.message());
      co_return;
    }
    if (options_.configure_tls) {
      // Mutual TLS: the handshake verified any certificate presented (chain, validity,
      // revocation); remember who it names for every request on this connection.
      if (auto peer = pki::DescribePeer(stream_.native_handle())) {
        client_ = ClientCertificate{.device_id = peer->device_id,
                                    .sensor_id = peer->sensor_id,
                                    .serial = peer->serial_hex,
                                    .fingerprint_sha256 = peer->fingerprint_sha256,
                                    .not_before_unix = peer->not_before_unix,
                                    .not_after_unix = peer->not_after_unix};
      }
    }
    bool first = true;
    while (!context_.stopping.load()) {
      state_.busy = false;
      if (pending_.empty() &&
          !co_await Fill(first ? options_.read_timeout : options_.idle_timeout)) {
        break;
      }
      first = false;
      if (!co_await ServeOne()) {
        break;
      }
    }
    co_await Shutdown();
  }

 private:
  boost::beast::tcp_stream& tcp() { return stream_.next_layer(); }

  // Appends what arrives within `timeout` to pending_. False on timeout, close or error.
  net::awaitable<bool> Fill(std::chrono::milliseconds timeout) {
    boost::system::error_code ec;
    tcp().expires_after(timeout);
    const std::size_t n = co_await stream_.async_read_some(net::buffer(chunk_), Redirect(ec));
    pending_.append(chunk_.data(), n);
    co_return !ec;
  }

  // Reads, handles and answers one request. False when the connection must end.
  net::awaitable<bool> ServeOne() {
    const auto start = std::chrono::steady_clock::now();
    RequestReader reader(options_.max_header_bytes, options_.max_body_bytes);
    // One deadline for the whole request (header and body): slow senders cannot hold us.
    tcp().expires_after(options_.read_timeout);
    RequestReader::Progress progress = RequestReader::Progress::kNeedMore;
    bool continued = false;
    for (;;) {
      std::size_t used = 0;
      progress = reader.Put(pending_, used);
      pending_.erase(0, used);
      if (progress != RequestReader::Progress::kNeedMore) {
        break;
      }
      if (!continued && reader.WantsContinue()) {
        continued = true;
        const std::string go_on(kContinue);
        if (!co_await WriteBytes(go_on)) {
          co_return false;
        }
      }
      boost::system::error_code ec;
      const std::size_t n = co_await stream_.async_read_some(net::buffer(chunk_), Redirect(ec));
      pending_.append(chunk_.data(), n);
      if (ec) {
        co_return false;  // Timeout, reset or close mid-request: nobody to answer.
      }
    }
    state_.busy = true;
    if (progress == RequestReader::Progress::kFailed) {
      Response refusal = reader.Refusal();
      if (refusal.status == 0) {
        co_return false;
      }
      const std::string unknown = "-";
      co_await Answer(refusal, 11, false, false, unknown, unknown, start);
      co_await DrainAndClose();
      co_return false;
    }

    auto request = reader.TakeRequest(remote_);
    if (request) request->client_certificate = client_;
    const std::string method = request ? request->method : "-";
    const std::string path = request ? request->path : "-";
    Response response;
    if (request) {
      response = co_await Dispatch(*request);
    } else {
      response = std::move(request).error();
    }
    const bool keep = reader.keep_alive() && request && !context_.stopping.load();
    const unsigned version = reader.version();
    const bool head = reader.head();
    co_await Answer(response, version, keep, head, method, path, start);
    const bool open = tcp().socket().is_open();
    co_return keep&& open;
  }

  // Runs the router; waits (without blocking the thread) for an asynchronous handler's answer,
  // at most kHandlerTimeout.
  net::awaitable<Response> Dispatch(Request& request) {
    auto pending = std::make_shared<PendingAnswer>(stream_.get_executor());
    std::optional<Response> now = context_.router.Dispatch(
        request, [pending](Response response) { pending->Complete(std::move(response)); });
    if (now) co_return std::move(*now);
    if (auto ready = pending->TakeOrWait()) co_return std::move(*ready);
    boost::system::error_code ec;
    pending->timer.expires_after(kHandlerTimeout);
    co_await pending->timer.async_wait(Redirect(ec));
    if (auto ready = pending->Take()) co_return std::move(*ready);
    spdlog::warn("http: {}: {} {} got no answer within {} s", remote_, LogSafe(request.method),
                 LogSafe(request.path), kHandlerTimeout.count());
    co_return JsonError(503, "unavailable", "the server is busy; try again");
  }

  // Arguments are references to the caller's named locals: g++ 12 mishandles temporaries
  // (notably of ?:) inside co_await expressions, destroying them twice.
  net::awaitable<void> Answer(Response& response, unsigned version, bool keep_alive, bool head,
                              const std::string& method, const std::string& path,
                              std::chrono::steady_clock::time_point start) {
    int status = 0;
    std::size_t body_bytes = 0;
    const std::string bytes =
        SerializeResponse(std::move(response), version, keep_alive, head, status, body_bytes);
    co_await WriteBytes(bytes);
    if (options_.access_log) {
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - start);
      spdlog::info("{}: {} {} {} {} {}B {:.3f}ms", options_.log_name, remote_, LogSafe(method),
                   LogSafe(path), status, body_bytes, static_cast<double>(micros.count()) / 1000.0);
    }
  }

  net::awaitable<bool> WriteBytes(const std::string& bytes) {
    boost::system::error_code ec;
    tcp().expires_after(options_.read_timeout);
    co_await net::async_write(stream_, net::buffer(bytes), Redirect(ec));
    if (ec) {
      spdlog::debug("http: {}: write failed: {}", remote_, ec.message());
      tcp().close();
    }
    co_return !ec;
  }

  // Reads what the client may still be sending of a request we refused before closing: closing
  // with unread data makes TCP reset the connection, and the client might lose our answer
  // (RFC 9112 section 9.6).
  net::awaitable<void> DrainAndClose() {
    boost::system::error_code ec;
    tcp().expires_after(kCloseTimeout);
    for (std::size_t total = 0; !ec && total < kMaxDrainBytes;) {
      total += co_await stream_.async_read_some(net::buffer(chunk_), Redirect(ec));
    }
    tcp().close();
  }

  // Sends close_notify and waits briefly for the peer's; on Stop, just closes.
  net::awaitable<void> Shutdown() {
    if (!context_.stopping.load() && tcp().socket().is_open()) {
      boost::system::error_code ec;
      tcp().expires_after(kCloseTimeout);
      co_await stream_.async_shutdown(Redirect(ec));
    }
    tcp().close();
  }

  Stream& stream_;
  ConnectionState& state_;
  const ConnectionContext& context_;
  const ServerOptions& options_;
  const std::string remote_;
  std::optional<ClientCertificate> client_;  // The verified client certificate, if any.
  std::string pending_;  // Received, not yet parsed (pipelined requests wait here).
  std::array<char, 16384> chunk_{};
};

}  // namespace

// g++ 12 at -O1 and above warns that Asio's coroutine frame, allocated by its own operator new,
// is freed by a mismatched delete; the pair is Asio's awaitable_frame_base operators, which do
// match (a known GCC false positive for coroutines with class-specific allocation).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
net::awaitable<void> ServeConnection(net::ip::tcp::socket socket,
                                     const ConnectionContext& context) {
  const std::string remote = EndpointText(socket);
  boost::system::error_code ignored;
  socket.set_option(net::ip::tcp::no_delay(true), ignored);
  Stream stream(std::move(socket), context.tls);
  const auto state = context.tracker.Add(stream.get_executor());
  state->close = [&stream] { stream.next_layer().close(); };
  // Runs however the coroutine ends, including when the io_context is destroyed while it waits.
  struct Unregister {
    ConnectionTracker& tracker;
    const std::shared_ptr<ConnectionState>& state;
    ~Unregister() {
      state->closed = true;
      state->close = nullptr;
      tracker.Remove(state);
    }
  } unregister{context.tracker, state};
  try {
    Session session(stream, *state, context, remote);
    co_await session.Run();
  } catch (const std::exception& e) {
    spdlog::error("http: {}: connection failed: {}", remote, e.what());
  }
}
#pragma GCC diagnostic pop

}  // namespace vigil::http
