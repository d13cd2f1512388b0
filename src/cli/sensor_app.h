#pragma once

// The `vigil sensor` command: passive capture from files or an interface (docs/cli.md).

#include <cstddef>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace vigil::cli {

// The parsed values; must outlive parsing (CLI11 writes into it).
struct SensorArgs {
  std::vector<std::string> pcap_files;
  std::string interface;
  std::string bpf;
  bool json = false;
  std::string data_dir;     // --data-dir: feed this data directory's inventory.
  std::string config_file;  // --config
  std::size_t max_flows = 1 << 20;
  std::string server_url;                           // --server: send to this gateway.
  std::string state_dir = "/var/lib/vigil-sensor";  // --state-dir: the enrolled credentials.
  // The subcommands' values (add, list, revoke, enroll).
  std::string name, id, reason, token, ca_fingerprint;
};

struct CommonOptions;
void AddSensorCommand(CLI::App& app, CommonOptions& options, SensorArgs& args, int& code);

}  // namespace vigil::cli
