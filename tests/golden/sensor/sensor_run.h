#pragma once

// Helpers for the sensor's golden and oracle tests: run `vigil sensor --pcap ... --json` and
// parse its JSON lines; run a reference tool (tshark) and split its fields; pick observations
// and facts out of our output; the shared captures. Test-only; every call waits a bounded time.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::golden {

using Json = nlohmann::json;

// What a child process printed, stdout and stderr apart.
struct Run {
  int exit_code = -1;  // -1 when it had to be killed.
  std::string out;
  std::string err;
};

// Runs `argv` to completion (killed after 120 s) with stdout and stderr captured apart.
Run RunSplit(const std::vector<std::string>& argv);

// `vigil sensor --pcap <pcaps...> --json`; `records` holds every stdout line parsed as JSON (a
// line that is not JSON fails the calling test through ADD_FAILURE).
struct SensorRun {
  Run run;
  std::vector<Json> records;
};
SensorRun RunSensor(const std::vector<std::filesystem::path>& pcaps);

// The records of `type` ("observation", "finding", "flow", "stats"), and of `protocol` when
// it is not empty.
std::vector<Json> Select(const std::vector<Json>& records, std::string_view type,
                         std::string_view protocol = {});

// Every value of fact `key` in the observations (one or many), in order.
std::vector<std::string> FactValues(const Json& observation, std::string_view key);
std::vector<std::string> AllFactValues(const std::vector<Json>& observations, std::string_view key);
std::set<std::string> FactSet(const std::vector<Json>& observations, std::string_view key);

// `tshark -r pcap -T fields -E occurrence=a -E aggregator=<agg> -e f1 -e f2 ...` (with `-Y
// filter` when not empty): one row per packet that has any of the fields, each row one string
// per field (repeated occurrences joined by `aggregator`). Empty rows are left out. `options`
// go before the fields (decode-as rules: {"-d", "tcp.port==6661,hl7"}).
std::vector<std::vector<std::string>> Tshark(const std::filesystem::path& pcap,
                                             const std::vector<std::string>& fields,
                                             std::string_view filter = {}, char aggregator = '\x1f',
                                             const std::vector<std::string>& options = {});

// Splits on `sep`, keeping empty pieces; "" gives no piece.
std::vector<std::string> Split(std::string_view text, char sep);

// The shared captures (*.pcap, *.pcapng under the fixtures' pcap/ folder), sorted by name;
// empty when the fixtures are absent.
std::vector<std::filesystem::path> SharedCaptures();

}  // namespace vigil::golden
