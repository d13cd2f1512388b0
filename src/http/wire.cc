#include "http/wire.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <limits>

namespace vigil::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

beast::string_view Bsv(std::string_view s) { return {s.data(), s.size()}; }
std::string_view Ssv(beast::string_view s) { return {s.data(), s.size()}; }

bool IsToken(std::string_view name) {
  // RFC 9110 section 5.6.2 tchar.
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

bool IsFramingField(std::string_view name) {
  for (const char* framing :
       {"content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"}) {
    if (beast::iequals(Bsv(name), framing)) {
      return true;
    }
  }
  return false;
}

}  // namespace

struct RequestReader::Impl {
  bhttp::request_parser<bhttp::string_body> parser;
  beast::error_code error;
  bool head = false;
  bool keep_alive = false;
  unsigned version = 11;
};

RequestReader::RequestReader(std::size_t max_header_bytes, std::size_t max_body_bytes)
    : impl_(std::make_unique<Impl>()) {
  impl_->parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  impl_->parser.body_limit(max_body_bytes);
  impl_->parser.eager(true);
}

RequestReader::~RequestReader() = default;

RequestReader::Progress RequestReader::Put(std::string_view bytes, std::size_t& consumed) {
  consumed = 0;
  auto& parser = impl_->parser;
  for (;;) {
    beast::error_code ec;
    const std::size_t n =
        parser.put(boost::asio::const_buffer(bytes.data() + consumed, bytes.size() - consumed), ec);
    consumed += n;
    if (ec == bhttp::error::need_more) {
      return Progress::kNeedMore;
    }
    if (ec) {
      impl_->error = ec;
      return Progress::kFailed;
    }
    if (parser.is_done()) {
      // Kept now: TakeRequest moves the message out of the parser.
      const auto& message = parser.get();
      impl_->head = message.method() == bhttp::verb::head;
      impl_->keep_alive = message.keep_alive();
      impl_->version = message.version();
      return Progress::kDone;
    }
    if (n == 0) {
      return Progress::kNeedMore;
    }
  }
}

RequestReader::Progress RequestReader::PutEof() {
  beast::error_code ec;
  impl_->parser.put_eof(ec);
  impl_->error = ec ? ec : bhttp::error::partial_message;
  return Progress::kFailed;
}

bool RequestReader::WantsContinue() const {
  const auto& parser = impl_->parser;
  if (!parser.is_header_done() || parser.is_done()) {
    return false;
  }
  const auto expect = parser.get().find(bhttp::field::expect);
  return expect != parser.get().end() && beast::iequals(expect->value(), "100-continue");
}

tl::expected<Request, Response> RequestReader::TakeRequest(std::string remote_address) {
  bhttp::request<bhttp::string_body> wire = impl_->parser.release();
  Request request;
  request.target = std::string(Ssv(wire.target()));
  if (request.target.empty() || request.target.front() != '/') {
    return tl::unexpected(JsonError(400, "bad_request", "request target must be a path"));
  }
  if (wire.version() >= 11 && wire.find(bhttp::field::host) == wire.end()) {
    return tl::unexpected(JsonError(400, "bad_request", "http/1.1 request without host"));
  }
  request.method = std::string(Ssv(wire.method_string()));
  const std::size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) {
    request.query = request.target.substr(question + 1);
  }
  for (const auto& field : wire) {
    std::string name(Ssv(field.name_string()));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    request.headers.emplace_back(std::move(name), std::string(Ssv(field.value())));
  }
  request.body = std::move(wire.body());
  request.remote_address = std::move(remote_address);
  return request;
}

bool RequestReader::head() const { return impl_->head; }
bool RequestReader::keep_alive() const { return impl_->keep_alive; }
unsigned RequestReader::version() const { return impl_->version; }

Response RequestReader::Refusal() const {
  const beast::error_code& ec = impl_->error;
  if (ec == bhttp::error::header_limit) {
    return JsonError(431, "request_header_fields_too_large", "request header too large");
  }
  if (ec == bhttp::error::body_limit) {
    return JsonError(413, "content_too_large", "request body too large");
  }
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
    return Response{.status = 0};
  }
  return JsonError(400, "bad_request", "malformed http request: " + ec.message());
}

std::string SerializeResponse(Response response, unsigned version, bool keep_alive, bool head,
                              int& status, std::size_t& body_bytes) {
  if (response.status < 200 || response.status > 599) {
    spdlog::error("http: handler returned status {}; answering 500", response.status);
    response = JsonError(500, "internal", "internal server error");
  }
  bhttp::response<bhttp::string_body> wire;
  wire.version(version);
  wire.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : DefaultResponseHeaders()) {
    wire.set(Bsv(name), Bsv(value));
  }
  const bool bodiless = response.status == 204 || response.status == 304;
  if (!response.content_type.empty() && !bodiless) {
    wire.set(bhttp::field::content_type, Bsv(response.content_type));
  }
  for (const auto& [name, value] : response.headers) {
    if (!IsToken(name) || IsFramingField(name) ||
        value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      spdlog::error("http: dropped response header \"{}\"", LogSafe(name));
      continue;
    }
    wire.set(Bsv(name), Bsv(value));
  }
  wire.keep_alive(keep_alive);
  body_bytes = bodiless ? 0 : response.body.size();
  if (!bodiless) {
    wire.content_length(response.body.size());
  }
  if (!bodiless && !head) {
    wire.body() = std::move(response.body);
  }
  status = response.status;

  std::string out;
  bhttp::serializer<false, bhttp::string_body> serializer{wire};
  beast::error_code ec;
  while (!ec && !serializer.is_done()) {
    serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
      std::size_t n = 0;
      for (const auto buffer : beast::buffers_range_ref(buffers)) {
        out.append(static_cast<const char*>(buffer.data()), buffer.size());
        n += buffer.size();
      }
      serializer.consume(n);
    });
  }
  return out;
}

std::string LogSafe(std::string_view text) {
  std::string safe(text.substr(0, 256));
  for (char& c : safe) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      c = '?';
    }
  }
  return safe;
}

}  // namespace vigil::http
