#include "agent/telemetry_source.h"

#include <algorithm>

#include "agent/metrics/user_metrics.h"

namespace vigil::agent {

TelemetrySource::TelemetrySource(TelemetrySourceOptions options)
    : options_(std::move(options)), system_(options_.system) {}

TelemetrySource::Collection TelemetrySource::Collect(const std::vector<std::string>& families,
                                                     std::int64_t now_unix_nanos) {
  std::vector<std::string> wanted = families;
  if (wanted.empty())
    wanted.assign(std::begin(kSystemMetricFamilies), std::end(kSystemMetricFamilies));
  auto sample = system_.Collect(wanted, now_unix_nanos);
  Collection out{.points = std::move(sample.points), .errors = std::move(sample.errors)};

  Result<std::string> text = std::string();
  if (!options_.metrics_command.empty()) {
    text = RunCommandOutput(options_.metrics_command, options_.command_limits);
  } else if (!options_.metrics_file.empty()) {
    text = ReadSmallFile(options_.metrics_file, kMaxUserMetricsBytes);
  } else {
    return out;
  }
  auto user = text ? ParseUserMetrics(*text, now_unix_nanos) : tl::unexpected(text.error());
  if (!user) {
    out.errors.push_back(std::move(user).error());
    return out;
  }
  out.points.insert(out.points.end(), std::make_move_iterator(user->begin()),
                    std::make_move_iterator(user->end()));
  return out;
}

std::int64_t TelemetrySource::UptimeSeconds() {
  const auto sample = system_.Collect({"uptime"}, 0);
  if (sample.points.empty()) return -1;
  return static_cast<std::int64_t>(sample.points.front().value);
}

std::vector<std::vector<model::MetricPoint>> SplitIntoBatches(
    std::vector<model::MetricPoint> points, std::size_t max_points) {
  max_points = std::max<std::size_t>(max_points, 1);
  std::vector<std::vector<model::MetricPoint>> batches;
  for (std::size_t i = 0; i < points.size(); i += max_points) {
    const auto end = std::min(points.size(), i + max_points);
    batches.emplace_back(
        std::make_move_iterator(points.begin() + static_cast<std::ptrdiff_t>(i)),
        std::make_move_iterator(points.begin() + static_cast<std::ptrdiff_t>(end)));
  }
  return batches;
}

}  // namespace vigil::agent
