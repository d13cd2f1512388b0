#pragma once

// UplinkSink: the sensor's records sent to Vigil's gateway (POST /v1/observations with
// observations and findings, POST /v1/flows with flow records; docs/formats/sensor.md) in
// batches, over mutual TLS with the sensor's own certificate (the HttpClient the factory makes).
//
// Batching: records are written as JSON as they arrive (on the packet thread) into the open
// batch of their kind, which is sealed when it holds `max_records` records, reaches
// `max_body_bytes`, or has been open for `max_delay`. Sealed batches wait in a queue of at most
// `max_queue_bytes` (64 MiB); when a new batch does not fit, the oldest are dropped and their
// records counted in `dropped`, so a long outage costs the oldest records and never the
// sensor's memory.
//
// Sending: one thread posts the queue in order. A transport error, 429 or 5xx is retried with
// exponential backoff and full jitter (agent/backoff.h; a Retry-After is waited at least), the
// batch kept at the head of the queue; any other non-2xx answer refuses the batch for good
// (counted in `refused`, the gateway's message logged once per status). Close() seals what is
// open and waits up to `drain_timeout` for the queue to empty; what is left is counted as
// dropped.
//
// Thread safety: the Sink methods are called from the packet thread; Close and stats() from any.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/result.h"
#include "net/http_client.h"
#include "sensor/dissect/sink.h"

namespace vigil::sensor {

struct UplinkOptions {
  std::size_t max_records = 1000;             // Records per body.
  std::size_t max_body_bytes = 192 * 1024;    // The gateway refuses bodies above 256 KiB.
  std::chrono::milliseconds max_delay{1000};  // How long a record may wait for its batch.
  std::size_t max_queue_bytes = std::size_t{64} << 20;
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_cap{30'000};
  std::chrono::milliseconds drain_timeout{30'000};
  // Warnings and errors for a person ("uplink: gateway unreachable: ..."); may be null.
  std::function<void(const std::string&)> log;
  // Upkeep on the sending thread before a send: first before the first send, then at most once
  // per `maintain_every` (the sensor renews its certificate here, through `client`). Returns
  // true when the credentials changed: the client is then made anew by the factory. May be null.
  std::function<bool(net::HttpClient& client)> maintain;
  std::chrono::milliseconds maintain_every{std::chrono::hours(1)};
};

struct UplinkStats {
  std::uint64_t sent = 0;     // Records the gateway accepted.
  std::uint64_t batches = 0;  // Bodies the gateway accepted.
  std::uint64_t dropped = 0;  // Records dropped: queue full, or left at Close.
  std::uint64_t refused = 0;  // Records in bodies the gateway refused (4xx other than 429).
  std::uint64_t retries = 0;  // Failed attempts that were retried.
};

// Makes the client the sending thread uses (a new one after a transport error).
using UplinkClientFactory = std::function<Result<std::unique_ptr<net::HttpClient>>()>;

class UplinkSink final : public Sink {
 public:
  UplinkSink(UplinkOptions options, UplinkClientFactory make_client);
  ~UplinkSink() override;  // Close() if not done.
  UplinkSink(const UplinkSink&) = delete;
  UplinkSink& operator=(const UplinkSink&) = delete;

  void Observe(model::Observation observation) override;
  void Report(model::Finding finding) override;
  void Record(model::FlowRecord record) override;

  // Seals the open batches, sends what it can within drain_timeout, stops the thread.
  void Close();
  UplinkStats stats() const;

 private:
  struct Open {  // A batch being filled: records as JSON, comma-separated.
    std::string observations;
    std::string findings;
    std::size_t records = 0;
    std::chrono::steady_clock::time_point opened;
  };
  struct Sealed {
    std::string path;
    std::string body;
    std::size_t records = 0;
  };

  void Add(Open& open, std::string Open::*list, std::string json, bool flows);
  void SealLocked(Open& open, bool flows);
  void SealDueLocked(std::chrono::steady_clock::time_point now);
  void Run();
  // One attempt at in_flight_: true when it is done with (sent or refused); `wait` gets the
  // answer's Retry-After.
  bool SendHead(std::unique_ptr<net::HttpClient>& client, std::chrono::milliseconds& wait);
  // Makes `client` if there is none and runs the upkeep when due; false if no client.
  bool ReadyClient(std::unique_ptr<net::HttpClient>& client);
  void Log(const std::string& message);

  const UplinkOptions options_;
  const UplinkClientFactory make_client_;

  mutable std::mutex mu_;
  std::condition_variable cv_;       // Work for the sender, or stop.
  std::condition_variable drained_;  // The queue emptied (for Close).
  Open reports_;                     // Observations and findings.
  Open flows_;
  std::deque<Sealed> queue_;
  std::optional<Sealed> in_flight_;  // Taken from the queue by the sender.
  std::size_t queue_bytes_ = 0;
  bool closing_ = false;
  bool stop_ = false;
  UplinkStats stats_;
  int last_logged_status_ = 0;
  std::chrono::steady_clock::time_point next_maintain_{};  // Sending thread only.

  std::thread sender_;
};

}  // namespace vigil::sensor
