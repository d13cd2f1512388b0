// HttpsClient over Boost.Beast, used synchronously: each step starts one asynchronous
// operation and runs the private io_context until it completes, so that beast::tcp_stream's
// deadlines bound every step (its synchronous calls have no timeouts).

#include "net/https_client.h"

// Boost 1.74's awaitable.hpp needs <utility> first (asio/README.md).
#include <utility>
// Boost after it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <string>

namespace vigil::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Stream = asio::ssl::stream<beast::tcp_stream>;
using SystemError = boost::system::error_code;
using RequestMessage = bhttp::request<bhttp::string_body>;

boost::beast::string_view ToBeast(std::string_view s) { return {s.data(), s.size()}; }

constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;

// Starts one operation through `start(handler)` and runs the context until it completes.
template <typename Start>
SystemError RunOne(asio::io_context& ioc, Start&& start) {
  SystemError result = asio::error::would_block;
  start([&result](SystemError ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

// What OpenSSL reports (through Asio's ssl category) when the certificate chain, the pin or
// the host name check fails: SSL_R_CERTIFICATE_VERIFY_FAILED's reason text. pki owns the
// OpenSSL API, so the code is not compared here; the text has been stable since OpenSSL 0.9.
bool IsVerifyFailure(const SystemError& ec) {
  return ec.category() == asio::error::get_ssl_category() &&
         ec.message().find("certificate verify failed") != std::string::npos;
}

// An alert from the server about our own certificate (mutual TLS): revoked, expired, from a CA
// it does not trust, or missing. With TLS 1.3 it arrives after the handshake, when the answer
// is read; with TLS 1.2 during the handshake.
bool IsOurCertificateRefused(const SystemError& ec) {
  if (ec.category() != asio::error::get_ssl_category()) return false;
  const auto text = ec.message();
  for (const char* alert :
       {"alert certificate revoked", "alert bad certificate", "alert certificate expired",
        "alert certificate unknown", "alert unknown ca", "alert certificate required",
        "alert unsupported certificate", "alert access denied"}) {
    if (text.find(alert) != std::string::npos) return true;
  }
  return false;
}

bool IsUpperAscii(char c) { return c >= 'A' && c <= 'Z'; }

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (IsUpperAscii(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string_view HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

struct HttpsClient::Impl {
  HttpsClientOptions options;
  BaseUrl url;
  asio::io_context ioc;
  asio::ssl::context ssl{asio::ssl::context::tls_client};
  std::unique_ptr<Stream> stream;
  beast::flat_buffer buffer;
  std::string presented_root_pem;

  Error Fail(ErrorCode code, std::string_view step, std::string_view cause) const {
    return Error{code, url.Authority() + ": " + std::string(step) + ": " + std::string(cause)};
  }

  Error FailIo(std::string_view step, const SystemError& ec,
               std::chrono::milliseconds timeout) const {
    if (IsOurCertificateRefused(ec)) {
      return Fail(ErrorCode::kPermissionDenied, "tls",
                  "the server refused our certificate (" + ec.message() + ")");
    }
    if (ec == beast::error::timeout) {
      return Fail(ErrorCode::kUnavailable, step,
                  "timed out after " + std::to_string(timeout.count()) + " ms");
    }
    return Fail(ErrorCode::kUnavailable, step, ec.message());
  }

  void Close() {
    if (stream) {
      SystemError ignored;
      beast::get_lowest_layer(*stream).socket().close(ignored);
      stream.reset();
    }
    buffer.clear();
  }

  Status Connect() {
    Close();
    const auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;
    // Name resolution runs getaddrinfo, bounded by the system resolver's own timeouts; the
    // agent is normally given an address or a name from /etc/hosts.
    tcp::resolver resolver(ioc);
    tcp::resolver::results_type endpoints;
    auto ec = RunOne(ioc, [&](auto handler) {
      resolver.async_resolve(url.host, std::to_string(url.port),
                             [&endpoints, handler](SystemError e, tcp::resolver::results_type r) {
                               endpoints = std::move(r);
                               handler(e);
                             });
    });
    if (ec) return tl::unexpected(Fail(ErrorCode::kUnavailable, "resolve", ec.message()));

    stream = std::make_unique<Stream>(ioc, ssl);
    if (auto configured = pki::ConfigureClientConnection(stream->native_handle(), url.host);
        !configured) {
      Close();
      return tl::unexpected(configured.error());
    }
    auto& tcp_stream = beast::get_lowest_layer(*stream);
    tcp_stream.expires_at(deadline);
    ec = RunOne(ioc, [&](auto handler) { tcp_stream.async_connect(endpoints, handler); });
    if (ec) {
      Close();
      return tl::unexpected(FailIo("connect", ec, options.connect_timeout));
    }
    tcp_stream.expires_at(deadline);
    ec = RunOne(ioc, [&](auto handler) {
      stream->async_handshake(asio::ssl::stream_base::client, handler);
    });
    if (ec) {
      Close();
      if (IsVerifyFailure(ec)) {
        return tl::unexpected(Fail(ErrorCode::kUnauthenticated, "tls",
                                   "the server's certificate did not verify (trusted root or "
                                   "pin, host name, validity)"));
      }
      return tl::unexpected(FailIo("tls handshake", ec, options.connect_timeout));
    }
    presented_root_pem = pki::PresentedRootPem(stream->native_handle()).value_or("");
    tcp_stream.expires_never();
    return OkStatus();
  }

  // One request on the open connection. `answered` tells whether any byte of an answer came.
  Result<HttpResponse> Exchange(RequestMessage& request, bool& answered) {
    answered = false;
    auto& tcp_stream = beast::get_lowest_layer(*stream);
    const auto deadline = std::chrono::steady_clock::now() + options.request_timeout;
    tcp_stream.expires_at(deadline);
    auto ec = RunOne(ioc, [&](auto handler) { bhttp::async_write(*stream, request, handler); });
    if (ec) {
      Close();
      return tl::unexpected(FailIo("request", ec, options.request_timeout));
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options.max_response_bytes);

    parser.header_limit(kMaxHeaderBytes);
    tcp_stream.expires_at(deadline);
    // The header first, then the body: Beast 1.74's eager parsing (what async_read does) lets a
    // Content-Length above body_limit through when the body arrives with the header.
    ec = RunOne(ioc,
                [&](auto handler) { bhttp::async_read_header(*stream, buffer, parser, handler); });
    if (!ec) {
      ec = RunOne(ioc, [&](auto handler) { bhttp::async_read(*stream, buffer, parser, handler); });
    }
    answered = parser.got_some();
    // A server that ends an answer by closing (no Content-Length) without TLS close_notify.
    if (ec == asio::ssl::error::stream_truncated && parser.need_eof()) {
      ec = {};
      parser.put_eof(ec);
    }
    if (ec == bhttp::error::body_limit) {
      Close();
      return tl::unexpected(
          Fail(ErrorCode::kResourceExhausted, "answer",
               "body larger than " + std::to_string(options.max_response_bytes) + " bytes"));
    }
    if (ec) {
      Close();
      return tl::unexpected(FailIo("answer", ec, options.request_timeout));
    }
    tcp_stream.expires_never();
    auto message = parser.release();
    HttpResponse response{.status = static_cast<int>(message.result_int())};
    for (const auto& field : message) {
      response.headers.emplace_back(Lowercase(std::string(field.name_string())),
                                    std::string(field.value()));
    }
    response.body = std::move(message.body());
    if (!message.keep_alive()) Close();
    return response;
  }
};

HttpsClient::HttpsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsClient::~HttpsClient() { impl_->Close(); }

Result<std::unique_ptr<HttpsClient>> HttpsClient::Create(HttpsClientOptions options) {
  auto url = ParseBaseUrl(options.base_url);
  if (!url) return tl::unexpected(url.error());
  auto impl = std::make_unique<Impl>();
  impl->url = std::move(*url);
  if (auto configured = pki::ConfigureClientTlsContext(impl->ssl.native_handle(), options.tls);
      !configured) {
    return tl::unexpected(configured.error());
  }
  impl->options = std::move(options);
  return std::unique_ptr<HttpsClient>(new HttpsClient(std::move(impl)));
}

Result<HttpResponse> HttpsClient::Request(std::string_view method, std::string_view path,
                                          std::string_view body, std::string_view content_type) {
  if (path.empty() || path.front() != '/' ||
      path.find_first_of(" \r\n\t") != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "https request: path must start with '/' and hold no spaces");
  }
  const auto verb = bhttp::string_to_verb(ToBeast(method));
  if (verb == bhttp::verb::unknown) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "https request: unknown method \"" + std::string(method) + "\"");
  }
  RequestMessage request{verb, ToBeast(path), 11};
  request.set(bhttp::field::host, impl_->url.Authority());
  request.set(bhttp::field::user_agent, impl_->options.user_agent);
  if (!content_type.empty()) request.set(bhttp::field::content_type, ToBeast(content_type));
  request.body() = std::string(body);
  request.keep_alive(true);
  request.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    const bool fresh = impl_->stream == nullptr;
    if (fresh) VIGIL_RETURN_IF_ERROR(impl_->Connect());
    bool answered = false;
    auto response = impl_->Exchange(request, answered);
    if (response || fresh || answered || attempt > 0 ||
        response.error().code != ErrorCode::kUnavailable) {
      return response;
    }
    // The kept connection failed before any answer: most likely the server closed it while it
    // was idle. Once more on a new connection.
  }
}

const std::string& HttpsClient::presented_root_pem() const { return impl_->presented_root_pem; }
void HttpsClient::Close() { impl_->Close(); }
const BaseUrl& HttpsClient::base_url() const { return impl_->url; }

}  // namespace vigil::net
