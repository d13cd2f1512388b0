#include "sensor/uplink/uplink_sink.h"

#include <algorithm>
#include <random>

#include "agent/backoff.h"
#include "agent/enrollment.h"
#include "device_protocol/sensor_records.h"

namespace vigil::sensor {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kJson = "application/json";

bool Retryable(int status) { return status == 429 || status / 100 == 5; }

}  // namespace

UplinkSink::UplinkSink(UplinkOptions options, UplinkClientFactory make_client)
    : options_(std::move(options)), make_client_(std::move(make_client)) {
  sender_ = std::thread([this] { Run(); });
}

UplinkSink::~UplinkSink() { Close(); }

void UplinkSink::Observe(model::Observation observation) {
  Add(reports_, &Open::observations, device_protocol::WriteObservationJson(observation), false);
}

void UplinkSink::Report(model::Finding finding) {
  Add(reports_, &Open::findings, device_protocol::WriteFindingJson(finding), false);
}

void UplinkSink::Record(model::FlowRecord record) {
  Add(flows_, &Open::observations, device_protocol::WriteFlowRecordJson(record), true);
}

void UplinkSink::Add(Open& open, std::string Open::*list, std::string json, bool flows) {
  std::lock_guard lock(mu_);
  if (closing_) {
    ++stats_.dropped;
    return;
  }
  // A record that would take the body past its limit goes into the next one.
  if (open.records != 0 && open.observations.size() + open.findings.size() + json.size() + 64 >
                               options_.max_body_bytes) {
    SealLocked(open, flows);
  }
  if (open.records == 0) open.opened = Clock::now();
  std::string& text = open.*list;
  if (!text.empty()) text += ',';
  text += json;
  if (++open.records >= options_.max_records) SealLocked(open, flows);
}

void UplinkSink::SealLocked(Open& open, bool flows) {
  if (open.records == 0) return;
  Sealed sealed{.path = flows ? "/v1/flows" : "/v1/observations", .records = open.records};
  sealed.body =
      flows ? "{\"flows\":[" + open.observations + "]}"
            : "{\"observations\":[" + open.observations + "],\"findings\":[" + open.findings + "]}";
  open = Open{};
  // Oldest first out when the queue is full: a long outage costs the oldest records.
  while (!queue_.empty() && queue_bytes_ + sealed.body.size() > options_.max_queue_bytes) {
    queue_bytes_ -= queue_.front().body.size();
    stats_.dropped += queue_.front().records;
    queue_.pop_front();
  }
  if (sealed.body.size() > options_.max_queue_bytes) {
    stats_.dropped += sealed.records;
    return;
  }
  queue_bytes_ += sealed.body.size();
  queue_.push_back(std::move(sealed));
  cv_.notify_all();
}

void UplinkSink::SealDueLocked(Clock::time_point now) {
  if (reports_.records != 0 && now - reports_.opened >= options_.max_delay) {
    SealLocked(reports_, false);
  }
  if (flows_.records != 0 && now - flows_.opened >= options_.max_delay) SealLocked(flows_, true);
}

void UplinkSink::Log(const std::string& message) {
  if (options_.log) options_.log(message);
}

bool UplinkSink::ReadyClient(std::unique_ptr<net::HttpClient>& client) {
  const auto make = [&] {
    auto made = make_client_();
    if (!made) {
      Log("uplink: " + made.error().message);
      client.reset();
      return false;
    }
    client = std::move(*made);
    return true;
  };
  if (!client && !make()) return false;
  const auto now = Clock::now();
  if (!options_.maintain || now < next_maintain_) return true;
  next_maintain_ = now + options_.maintain_every;
  return !options_.maintain(*client) || make();
}

bool UplinkSink::SendHead(std::unique_ptr<net::HttpClient>& client,
                          std::chrono::milliseconds& wait) {
  const Sealed& batch = *in_flight_;
  if (!ReadyClient(client)) return false;
  auto response = client->Request("POST", batch.path, batch.body, kJson);
  if (!response) {
    Log("uplink: gateway unreachable: " + response.error().message);
    client.reset();
    return false;
  }
  std::lock_guard lock(mu_);
  if (response->status / 100 == 2) {
    stats_.sent += batch.records;
    ++stats_.batches;
    return true;
  }
  if (Retryable(response->status)) {
    wait = std::max(wait, std::chrono::milliseconds(agent::RetryAfter(*response)));
    if (last_logged_status_ != response->status) {
      Log("uplink: the gateway answered " + std::to_string(response->status) + "; retrying");
    }
    last_logged_status_ = response->status;
    return false;
  }
  stats_.refused += batch.records;
  if (last_logged_status_ != response->status) {
    Log("uplink: the gateway refused a batch of " + std::to_string(batch.records) + " records (" +
        std::to_string(response->status) + "): " + response->body.substr(0, 300));
  }
  last_logged_status_ = response->status;
  return true;
}

void UplinkSink::Run() {
  std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  agent::Backoff backoff({.base = options_.backoff_base, .cap = options_.backoff_cap},
                         [&] { return uniform(random); });
  std::unique_ptr<net::HttpClient> client;
  const auto tick = std::max(std::chrono::milliseconds(10), options_.max_delay / 4);
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (!in_flight_) {
        cv_.wait_for(lock, tick, [&] { return stop_ || closing_ || !queue_.empty(); });
        SealDueLocked(Clock::now());
        if (stop_ || queue_.empty()) {
          if (stop_ || closing_) break;
          continue;
        }
        in_flight_ = std::move(queue_.front());
        queue_bytes_ -= in_flight_->body.size();
        queue_.pop_front();
      }
      if (stop_) break;
    }
    std::chrono::milliseconds wait{0};
    const bool done = SendHead(client, wait);
    std::unique_lock lock(mu_);
    if (done) {
      in_flight_.reset();
      backoff.Reset();
      drained_.notify_all();
      continue;
    }
    ++stats_.retries;
    wait = std::max(wait, backoff.Failure());
    cv_.wait_for(lock, wait, [&] { return stop_; });
  }
  std::lock_guard lock(mu_);
  if (in_flight_) stats_.dropped += in_flight_->records;
  in_flight_.reset();
  for (const Sealed& left : queue_) stats_.dropped += left.records;
  queue_.clear();
  queue_bytes_ = 0;
  drained_.notify_all();
}

void UplinkSink::Close() {
  {
    std::unique_lock lock(mu_);
    if (!sender_.joinable()) return;
    closing_ = true;
    SealLocked(reports_, false);
    SealLocked(flows_, true);
    cv_.notify_all();
    drained_.wait_for(lock, options_.drain_timeout, [&] { return queue_.empty() && !in_flight_; });
    stop_ = true;
    cv_.notify_all();
  }
  sender_.join();
}

UplinkStats UplinkSink::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace vigil::sensor
