#pragma once

// An audit event as the rest of Vigil reports it: who did what to which thing, with details.
// The audit log adds the sequence number, time and hashes.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace vigil::audit {

enum class ActorKind { kUser, kDevice, kSystem };

std::string_view ActorKindName(ActorKind kind);  // "user", "device", "system"

struct Actor {
  ActorKind kind = ActorKind::kSystem;
  std::string id;  // User name, device id, or the system component ("vigil serve", "cli").
};

struct Event {
  Actor actor;
  std::string action;  // Dotted verb: "keys.rotate", "user.login.failed", "device.revoke".
  std::string target;  // What was acted on: "dek:3", "user:alice"; empty if nothing.
  nlohmann::json details = nlohmann::json::object();  // Never secrets or patient data.
};

}  // namespace vigil::audit
