// The body of an error answer, shared with http::JsonError.

#include "device_protocol/json_read.h"
#include "device_protocol/json_write.h"
#include "device_protocol/messages.h"

namespace vigil::device_protocol {

using internal::Need;
using internal::ObjectReader;
using internal::ParserLease;
using internal::Path;

Result<ErrorAnswer> ParseErrorAnswer(std::string_view json) {
  const Path root("error answer");
  ParserLease lease;
  const auto body = internal::ParseObject(lease, json, root);
  if (!body) return tl::unexpected(body.error());
  const auto inner = body->Find("error", Need::kRequired);
  if (!inner) return tl::unexpected(inner.error());
  const Path where = root.Field("error");
  const auto error = ObjectReader::Make(**inner, where);
  if (!error) return tl::unexpected(error.error());
  ErrorAnswer answer;
  VIGIL_RETURN_IF_ERROR(error->String(
      "code", Need::kRequired, {.min_bytes = 1, .max_bytes = 64, .chars = internal::Chars::kLine},
      answer.code));
  VIGIL_RETURN_IF_ERROR(
      error->String("message", Need::kOptional, {.max_bytes = Limits{}.max_text}, answer.message));
  return answer;
}

std::string WriteErrorAnswer(std::string_view code, std::string_view message) {
  return internal::JsonWriter(message.size() + 48)
      .BeginObject()
      .Key("error")
      .BeginObject()
      .Key("code")
      .String(code)
      .Key("message")
      .String(message)
      .EndObject()
      .EndObject()
      .Take();
}

}  // namespace vigil::device_protocol
