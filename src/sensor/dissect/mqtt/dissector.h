#pragma once

// The MQTT stream dissector (3.1, 3.1.1 and 5.0 over TCP): frames control packets by their
// fixed header, reads CONNECT, CONNACK, and the topics of PUBLISH and SUBSCRIBE, and skips
// everything else (payloads included) by its length. Chosen by payload: a CONNECT (first byte
// 0x10, a valid Remaining Length, then protocol name "MQTT" or "MQIsdp"), on any port.
//
// Facts (values through SafeText):
//   mqtt.protocol_name     (client) CONNECT protocol name: "MQTT" or "MQIsdp"
//   mqtt.protocol_version  (client) CONNECT protocol level as a version: "3.1", "3.1.1", "5.0"
//   mqtt.client_id         (client) CONNECT client identifier: often names the device
//   mqtt.keepalive         (client) CONNECT keep alive, seconds
//   mqtt.username_flag     (client) "true" when CONNECT carries a user name (never the name)
//   mqtt.password_flag     (client) "true" when CONNECT carries a password (never the password)
//   mqtt.connack           (server) CONNACK return or reason code: "accepted", "not_authorized"...
//   mqtt.publish_topic     (sender) a topic name published on; the first kMaxTopics distinct
//                          (topic, sender) pairs of a connection
//   mqtt.subscribe_topic   (client) a topic filter subscribed to; within the same bound
//
// Findings:
//   cleartext_credentials (high), once per connection: CONNECT carried a password on this
//   clear-text connection; the detail names the client id, never the user name or password.

#include "sensor/dissect/dissector.h"

namespace vigil::sensor::mqtt {

inline constexpr std::size_t kMaxTopics = 16;
// A packet's body is read from at most this many bytes; the rest is skipped unread.
inline constexpr std::size_t kMaxParsedBytes = 4096;

const DissectorInfo& Info();

}  // namespace vigil::sensor::mqtt
