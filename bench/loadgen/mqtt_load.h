// MQTT 3.1.1 QoS 1 publishes over mutual TLS from many libmosquitto clients driven by one
// epoll loop: each client keeps one publish in flight (the next goes out when the broker's
// PUBACK arrives), like the one request in flight of RunHttps. Runs for `seconds`, then lets
// the publishes in flight be acknowledged (at most 10 s more).
#pragma once

#include "load_result.h"
#include "options.h"

namespace loadgen {

LoadResult RunMqtt(const Options& options);

}  // namespace loadgen
