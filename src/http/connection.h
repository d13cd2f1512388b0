#pragma once

// Internal to http (includes Boost; only server.cc and connection.cc include it): one TLS
// connection's coroutine, and the registry the server uses to close idle connections on Stop.
//
// Thread safety: ConnectionTracker is thread-safe. A ConnectionState is touched only on its
// connection's strand (its `executor`), except through the tracker's mutex for membership.

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility> (TOOLCHAIN.md).
#include <utility>
// The rest after it.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "http/router.h"
#include "http/server.h"

namespace vigil::http {

struct ConnectionState {
  boost::asio::any_io_executor executor;  // The connection's strand.
  std::function<void()> close;            // Closes the socket; callable until `closed`.
  bool busy = false;                      // Handling a request: Stop lets it finish.
  bool closed = false;                    // The coroutine is done with the socket.
};

class ConnectionTracker {
 public:
  std::shared_ptr<ConnectionState> Add(boost::asio::any_io_executor executor);
  void Remove(const std::shared_ptr<ConnectionState>& state);
  std::size_t size() const;
  // Closes every connection that is not handling a request (posted to each one's strand).
  void CloseIdle();
  // Called (on the removing thread) each time Remove leaves the tracker empty.
  void SetOnEmpty(std::function<void()> on_empty);

 private:
  mutable std::mutex mu_;
  std::unordered_set<std::shared_ptr<ConnectionState>> states_;
  std::function<void()> on_empty_;
};

// What every connection shares; owned by the server, outlives all connections.
struct ConnectionContext {
  boost::asio::ssl::context& tls;
  const Router& router;
  const ServerOptions& options;
  ConnectionTracker& tracker;
  const std::atomic<bool>& stopping;
};

// Serves one accepted socket until the peer leaves, a timeout, an error, or Stop. Never throws.
boost::asio::awaitable<void> ServeConnection(boost::asio::ip::tcp::socket socket,
                                             const ConnectionContext& context);

}  // namespace vigil::http
