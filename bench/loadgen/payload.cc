#include "payload.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace loadgen {

std::int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string TelemetryBody(std::int64_t first_ms, int points, std::size_t min_bytes) {
  std::string body = "{\"points\":[";
  for (int i = 0; i < points; ++i) {
    const std::int64_t ms = first_ms + i;
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char point[160];
    std::snprintf(point, sizeof point,
                  "%s{\"name\":\"pump.channel_a.infusion_rate\",\"value\":%d.%d,\"unit\":\"ml/h\","
                  "\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"}",
                  i == 0 ? "" : ",", 20 + static_cast<int>(ms % 7), static_cast<int>(ms % 10),
                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                  utc.tm_sec, static_cast<int>(ms % 1000));
    body += point;
  }
  body += "]}";
  if (body.size() < min_bytes) body.append(min_bytes - body.size(), ' ');
  return body;
}

}  // namespace loadgen
