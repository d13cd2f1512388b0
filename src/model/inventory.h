#pragma once

// What the inventory knows about a device it has observed on the network (as opposed to a
// device registered by an operator, model/device.h): its addresses and names, who made it and
// what it is (with the confidence and the evidence behind that), the protocols and services it
// uses, its peers, and when it was first and last seen. The inventory module builds them from
// observations (model/observation.h); the store keeps them; the REST API shows them.
//
// Every list is bounded by the inventory (the limits are in inventory/limits.h), so a device
// that talks to the whole internet does not grow without end.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/net_address.h"

namespace vigil::model {

// One reason behind an identification: which fact said what, and how sure it makes us.
struct Evidence {
  std::string source;  // The fact key ("dhcp.vendor_class") or "oui".
  std::string value;   // What the fact said (a vendor class, an organisation name).
  std::string rule;    // The rule that read it ("philips-intellivue"); empty for the OUI.
  int confidence = 0;  // 0-100.
  friend bool operator==(const Evidence&, const Evidence&) = default;
};

// One attribute of the identification with its own confidence (the best evidence wins).
struct IdentifiedValue {
  std::string value;
  int confidence = 0;
  friend bool operator==(const IdentifiedValue&, const IdentifiedValue&) = default;
};

struct Identification {
  IdentifiedValue manufacturer;
  IdentifiedValue device_type;  // From the device-type vocabulary (model/device_type.h).
  IdentifiedValue model;
  IdentifiedValue firmware;
  std::vector<Evidence> evidence;
  friend bool operator==(const Identification&, const Identification&) = default;
};

// A port the device answered on, as a server.
struct ObservedService {
  std::uint8_t ip_protocol = 0;
  std::uint16_t port = 0;
  std::string application;  // The dissector that recognised it; empty if none did.
  std::int64_t last_seen_unix_nanos = 0;
  friend bool operator==(const ObservedService&, const ObservedService&) = default;
};

struct ObservedAddress {
  IpAddress ip;
  std::int64_t first_seen_unix_nanos = 0;
  std::int64_t last_seen_unix_nanos = 0;
  friend bool operator==(const ObservedAddress&, const ObservedAddress&) = default;
};

struct ObservedDevice {
  std::string id;  // "mac-001b2c3d4e5f" or, for a device known only by address, "ip-10.1.2.3".
  std::vector<MacAddress> macs;            // The first is the primary one.
  std::vector<ObservedAddress> addresses;  // Most recently seen first.
  std::vector<std::string> names;          // Host names, NetBIOS names, DICOM AE titles...
  Identification identity;
  std::vector<std::string> protocols;            // Every application protocol seen.
  std::vector<std::string> cleartext_protocols;  // Those that carried logins or patient data.
  std::vector<ObservedService> services;
  std::vector<IpAddress> peers;  // Addresses it talked to (most recent first).
  // Distinct facts (key, value) it has shown, newest first: a few values per key, bounded.
  std::vector<std::pair<std::string, std::string>> facts;
  std::uint16_t vlan = 0;
  std::int64_t first_seen_unix_nanos = 0;
  std::int64_t last_seen_unix_nanos = 0;
  friend bool operator==(const ObservedDevice&, const ObservedDevice&) = default;
};

// Flow history, aggregated: the traffic of one (client, server, service) in one time bucket.
struct FlowAggregate {
  std::int64_t bucket_start_unix_nanos = 0;  // A multiple of the bucket width (5 minutes).
  IpAddress client;
  IpAddress server;
  std::uint16_t server_port = 0;
  std::uint8_t ip_protocol = 0;
  std::string application;
  std::uint64_t flows = 0;
  std::uint64_t packets = 0;  // Both directions.
  std::uint64_t bytes = 0;
  friend bool operator==(const FlowAggregate&, const FlowAggregate&) = default;
};

}  // namespace vigil::model
