#include "config/config.h"

#include <toml++/toml.h>

#include <set>

namespace vigil::config {
namespace {

using Node = toml::node;

std::string Where(std::string_view source, const toml::source_region& region) {
  return std::string(source) + ":" + std::to_string(region.begin.line);
}

Result<Config> Bad(std::string_view source, const toml::source_region& region,
                   const std::string& why) {
  return MakeError(ErrorCode::kInvalidArgument, Where(source, region) + ": " + why);
}

// Reads one table's keys with a small visitor: each known key is handled, unknown ones fail.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string_view section, std::string_view source)
      : table_(table), section_(section), source_(source) {}

  Status String(std::string_view key, std::string& out) {
    return With(key, [&](const Node& n) -> Status {
      if (!n.is_string()) return Wrong(n, key, "a string");
      out = *n.value<std::string>();
      return OkStatus();
    });
  }

  template <typename Int>
  Status Integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max) {
    return With(key, [&](const Node& n) -> Status {
      if (!n.is_integer()) return Wrong(n, key, "an integer");
      const std::int64_t v = *n.value<std::int64_t>();
      if (v < min || v > max) {
        return MakeError(ErrorCode::kInvalidArgument,
                         Where(source_, n.source()) + ": " + Name(key) + ": " + std::to_string(v) +
                             " is outside " + std::to_string(min) + ".." + std::to_string(max));
      }
      out = static_cast<Int>(v);
      return OkStatus();
    });
  }

  Status Bool(std::string_view key, bool& out) {
    return With(key, [&](const Node& n) -> Status {
      if (!n.is_boolean()) return Wrong(n, key, "true or false");
      out = *n.value<bool>();
      return OkStatus();
    });
  }

  Status StringList(std::string_view key, std::vector<std::string>& out) {
    return With(key, [&](const Node& n) -> Status {
      const toml::array* array = n.as_array();
      if (array == nullptr) return Wrong(n, key, "an array of strings");
      std::vector<std::string> values;
      for (const Node& item : *array) {
        if (!item.is_string()) return Wrong(n, key, "an array of strings");
        values.push_back(*item.value<std::string>());
      }
      out = std::move(values);
      return OkStatus();
    });
  }

  // Fails on the first key that no call above asked for.
  Status RejectUnknown() const {
    for (const auto& [key, node] : table_) {
      if (known_.count(std::string(key.str())) == 0) {
        return MakeError(ErrorCode::kInvalidArgument,
                         Where(source_, node.source()) + ": unknown option " + Name(key.str()));
      }
    }
    return OkStatus();
  }

 private:
  template <typename Fn>
  Status With(std::string_view key, Fn fn) {
    known_.insert(std::string(key));
    const Node* n = table_.get(key);
    return n == nullptr ? OkStatus() : fn(*n);
  }

  std::string Name(std::string_view key) const {
    return std::string(section_) + "." + std::string(key);
  }

  Status Wrong(const Node& n, std::string_view key, std::string_view expected) const {
    return MakeError(ErrorCode::kInvalidArgument, Where(source_, n.source()) + ": " + Name(key) +
                                                      ": expected " + std::string(expected));
  }

  const toml::table& table_;
  std::string_view section_;
  std::string_view source_;
  std::set<std::string> known_;
};

Status ReadServer(TableReader& r, ServerConfig& s) {
  VIGIL_RETURN_IF_ERROR(r.String("listen", s.listen));
  VIGIL_RETURN_IF_ERROR(r.Integer("threads", s.threads, 1, 64));
  VIGIL_RETURN_IF_ERROR(r.String("tls_cert", s.tls_cert));
  VIGIL_RETURN_IF_ERROR(r.String("tls_key", s.tls_key));
  VIGIL_RETURN_IF_ERROR(r.Integer("max_header_bytes", s.max_header_bytes, 1024, 1 << 20));
  VIGIL_RETURN_IF_ERROR(r.Integer("max_body_bytes", s.max_body_bytes, 1024, 1LL << 30));
  VIGIL_RETURN_IF_ERROR(r.Integer("read_timeout_seconds", s.read_timeout_seconds, 1, 3600));
  VIGIL_RETURN_IF_ERROR(r.Integer("idle_timeout_seconds", s.idle_timeout_seconds, 1, 86400));
  VIGIL_RETURN_IF_ERROR(r.Bool("access_log", s.access_log));
  VIGIL_RETURN_IF_ERROR(r.String("web_root", s.web_root));
  return r.RejectUnknown();
}

Status ReadStorage(TableReader& r, StorageConfig& s) {
  VIGIL_RETURN_IF_ERROR(r.String("data_dir", s.data_dir));
  VIGIL_RETURN_IF_ERROR(r.String("key_file", s.key_file));
  return r.RejectUnknown();
}

Status ReadAudit(TableReader& r, AuditConfig& a) {
  VIGIL_RETURN_IF_ERROR(r.Integer("checkpoint_interval", a.checkpoint_interval, 1, 1'000'000));
  VIGIL_RETURN_IF_ERROR(r.String("checkpoint_file", a.checkpoint_file));
  return r.RejectUnknown();
}

Status ReadIdentity(TableReader& r, IdentityConfig& i) {
  constexpr int kDay = 86400;
  VIGIL_RETURN_IF_ERROR(
      r.Integer("session_idle_timeout_seconds", i.session_idle_timeout_seconds, 1, kDay));
  VIGIL_RETURN_IF_ERROR(r.Integer("session_absolute_timeout_seconds",
                                  i.session_absolute_timeout_seconds, 1, 7 * kDay));
  VIGIL_RETURN_IF_ERROR(r.Integer("sign_in_timeout_seconds", i.sign_in_timeout_seconds, 10, 3600));
  VIGIL_RETURN_IF_ERROR(r.Integer("lockout_threshold", i.lockout_threshold, 1, 100));
  VIGIL_RETURN_IF_ERROR(r.Integer("lockout_seconds", i.lockout_seconds, 1, kDay));
  VIGIL_RETURN_IF_ERROR(r.Integer("failure_delay_seconds", i.failure_delay_seconds, 0, 60));
  VIGIL_RETURN_IF_ERROR(
      r.Integer("address_attempts_per_minute", i.address_attempts_per_minute, 1, 100000));
  VIGIL_RETURN_IF_ERROR(r.Integer("totp_skew_steps", i.totp_skew_steps, 0, 3));
  VIGIL_RETURN_IF_ERROR(r.Integer("token_default_days", i.token_default_days, 1, 3650));
  VIGIL_RETURN_IF_ERROR(r.Integer("token_max_days", i.token_max_days, 1, 3650));
  VIGIL_RETURN_IF_ERROR(r.Integer("hash_workers", i.hash_workers, 1, 64));
  VIGIL_RETURN_IF_ERROR(r.Integer("hash_queue", i.hash_queue, 1, 100000));
  VIGIL_RETURN_IF_ERROR(r.String("first_admin", i.first_admin));
  VIGIL_RETURN_IF_ERROR(r.String("password_dictionary", i.password_dictionary));
  return r.RejectUnknown();
}

Status ReadGateway(TableReader& r, GatewayConfig& g) {
  VIGIL_RETURN_IF_ERROR(r.Bool("enabled", g.enabled));
  VIGIL_RETURN_IF_ERROR(r.String("listen", g.listen));
  VIGIL_RETURN_IF_ERROR(r.Integer("threads", g.threads, 1, 64));
  VIGIL_RETURN_IF_ERROR(r.StringList("server_names", g.server_names));
  VIGIL_RETURN_IF_ERROR(r.Integer("max_body_bytes", g.max_body_bytes, 1024, 64LL << 20));
  VIGIL_RETURN_IF_ERROR(r.Integer("requests_per_second", g.requests_per_second, 1, 1'000'000));
  VIGIL_RETURN_IF_ERROR(r.Integer("max_points", g.max_points, 1, 100'000));
  VIGIL_RETURN_IF_ERROR(r.Integer("max_events", g.max_events, 1, 100'000));
  return r.RejectUnknown();
}

Status ReadDevices(TableReader& r, DevicesConfig& d) {
  VIGIL_RETURN_IF_ERROR(r.Integer("certificate_days", d.certificate_days, 1, 3650));
  VIGIL_RETURN_IF_ERROR(r.Integer("enrollment_token_hours", d.enrollment_token_hours, 1, 720));
  VIGIL_RETURN_IF_ERROR(r.Integer("crl_hours", d.crl_hours, 1, 24 * 30));
  VIGIL_RETURN_IF_ERROR(r.Integer("heartbeat_seconds", d.heartbeat_seconds, 5, 86400));
  VIGIL_RETURN_IF_ERROR(r.Integer("telemetry_seconds", d.telemetry_seconds, 1, 86400));
  VIGIL_RETURN_IF_ERROR(r.Integer("telemetry_raw_days", d.telemetry_raw_days, 1, 3650));
  VIGIL_RETURN_IF_ERROR(r.Integer("telemetry_rollup_days", d.telemetry_rollup_days, 1, 3650));
  return r.RejectUnknown();
}

Status ReadInventory(TableReader& r, InventoryConfig& i) {
  VIGIL_RETURN_IF_ERROR(r.Integer("flow_retention_days", i.flow_retention_days, 1, 3650));
  VIGIL_RETURN_IF_ERROR(r.String("oui_dir", i.oui_dir));
  return r.RejectUnknown();
}

Status ReadLog(TableReader& r, LogConfig& l) {
  VIGIL_RETURN_IF_ERROR(r.String("format", l.format));
  VIGIL_RETURN_IF_ERROR(r.String("level", l.level));
  return r.RejectUnknown();
}

}  // namespace

Result<Config> Parse(std::string_view text, std::string_view source, Config base) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return MakeError(ErrorCode::kInvalidArgument,
                     Where(source, e.source()) + ": " + std::string(e.description()));
  }
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return Bad(source, node.source(), "'" + name + "' must be a [section]");
    }
    TableReader reader(*table, name, source);
    Status st;
    if (name == "server") {
      st = ReadServer(reader, base.server);
    } else if (name == "storage") {
      st = ReadStorage(reader, base.storage);
    } else if (name == "audit") {
      st = ReadAudit(reader, base.audit);
    } else if (name == "identity") {
      st = ReadIdentity(reader, base.identity);
    } else if (name == "gateway") {
      st = ReadGateway(reader, base.gateway);
    } else if (name == "devices") {
      st = ReadDevices(reader, base.devices);
    } else if (name == "inventory") {
      st = ReadInventory(reader, base.inventory);
    } else if (name == "log") {
      st = ReadLog(reader, base.log);
    } else {
      return Bad(source, node.source(), "unknown section [" + name + "]");
    }
    if (!st) return tl::unexpected(st.error());
  }
  if (auto st = Validate(base); !st) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(source) + ": " + st.error().message);
  }
  return base;
}

}  // namespace vigil::config
