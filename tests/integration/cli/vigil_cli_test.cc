// The vigil binary end to end: serve on loopback, real curl and sqlite3 as peers, the audit and
// key commands on the data directory it leaves behind.

#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "process.h"
#include "testing/fixtures.h"

namespace vigil::cli_test {
namespace {

using std::chrono::seconds;

class VigilCli : public ::testing::Test {
 protected:
  std::string data() const { return (dir_ / "data").string(); }
  std::string key_file() const { return (dir_ / "data.keys" / "kek").string(); }

  Outcome Vigil(std::vector<std::string> args, const std::map<std::string, std::string>& env = {}) {
    args.insert(args.begin(), VigilBinary());
    return RunProcess(args, env);
  }

  // Starts `vigil serve` on a free port and returns its URL.
  std::string StartServer(Child& child) {
    if (!child.WaitFor("Stop with Ctrl-C", std::chrono::seconds(60))) return "";
    const std::string& out = child.output();
    const auto at = out.find("serving https://localhost:");
    if (at == std::string::npos) return "";
    const auto start = at + std::string("serving ").size();
    return out.substr(start, out.find('\n', start) - start);
  }

  // Runs the server once: start, a health check, and a clean stop.
  void ServeOnce() {
    Child serve({VigilBinary(), "serve", "--data-dir", data(), "--listen", "127.0.0.1:0",
                 "--gateway-listen", "127.0.0.1:0"});
    const std::string url = StartServer(serve);
    ASSERT_FALSE(url.empty()) << serve.output();
    serve.Signal(SIGTERM);
    ASSERT_EQ(serve.Wait(std::chrono::seconds(30)), 0) << serve.output();
  }

  testing::TempDir dir_;
};

TEST_F(VigilCli, ServeAnswersHealthzAndStopsCleanlyOnSigterm) {
  VIGIL_REQUIRE_TOOL(curl, "curl");
  Child serve({VigilBinary(), "serve", "--data-dir", data(), "--listen", "127.0.0.1:0",
               "--gateway-listen", "127.0.0.1:0"});
  const std::string url = StartServer(serve);
  ASSERT_FALSE(url.empty()) << serve.output();

  const auto health = RunProcess({curl.string(), "-sk", "--max-time", "10", url + "/healthz"});
  serve.Signal(SIGTERM);
  const int code = serve.Wait(std::chrono::seconds(30));

  EXPECT_EQ(health.exit_code, 0) << health.output;
  EXPECT_NE(health.output.find("\"status\":\"ok\""), std::string::npos) << health.output;
  EXPECT_EQ(code, 0) << serve.output();
  EXPECT_NE(serve.output().find("SIGTERM received: stopping"), std::string::npos);
  // The final signed checkpoint covers the first admin's creation (1), the device CA's (2),
  // server.start (3) and server.stop (4), and is logged.
  EXPECT_NE(serve.output().find("audit checkpoint: seq 4 hash "), std::string::npos)
      << serve.output();
}

TEST_F(VigilCli, CommandsReachARunningServerThroughItsControlSocket) {
  Child serve({VigilBinary(), "serve", "--data-dir", data(), "--listen", "127.0.0.1:0",
               "--gateway-listen", "127.0.0.1:0"});
  ASSERT_FALSE(StartServer(serve).empty()) << serve.output();

  const auto rotate = Vigil({"keys", "rotate", "--data-dir", data()});
  const auto verify = Vigil({"audit", "verify", "--data-dir", data()});
  const auto exported = Vigil({"audit", "export", "--data-dir", data()});
  serve.Signal(SIGTERM);
  ASSERT_EQ(serve.Wait(std::chrono::seconds(30)), 0) << serve.output();

  EXPECT_EQ(rotate.exit_code, 0) << rotate.output;
  EXPECT_NE(rotate.output.find("new DEK version 2"), std::string::npos) << rotate.output;
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("audit log intact"), std::string::npos) << verify.output;
  // The actor is the peer's user as the kernel reports it over the socket.
  EXPECT_NE(exported.output.find("\"action\":\"keys.rotate\",\"actor\":\"cli:"), std::string::npos)
      << exported.output;
}

TEST_F(VigilCli, LockedDataDirectoryWithoutAServerExitsWithCode4) {
  VIGIL_REQUIRE_TOOL(flock, "flock");
  ServeOnce();
  const std::string lock = (dir_ / "data" / "vigil.lock").string();
  Child holder({flock.string(), lock, "sleep", "30"});
  // Wait until the holder has the lock: `flock -n` fails (exit 1) while it is held.
  for (int i = 0; i < 200 && RunProcess({flock.string(), "-n", lock, "true"}).exit_code == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  const auto status = Vigil({"keys", "status", "--data-dir", data()});

  EXPECT_EQ(status.exit_code, 4) << status.output;
  EXPECT_NE(status.output.find("in use by another vigil process"), std::string::npos)
      << status.output;
}

TEST_F(VigilCli, JsonLogsAreValidJsonLinesAndCarryNoKeyMaterial) {
  VIGIL_REQUIRE_TOOL(curl, "curl");
  Child serve({VigilBinary(), "serve", "--data-dir", data(), "--listen", "127.0.0.1:0",
               "--gateway-listen", "127.0.0.1:0"},
              {{"VIGIL_LOG_FORMAT", "json"}});
  const std::string url = StartServer(serve);
  ASSERT_FALSE(url.empty()) << serve.output();
  RunProcess({curl.string(), "-sk", "--max-time", "10", url + "/healthz?q=%22quoted%22"});
  const auto rotate = Vigil({"keys", "rotate", "--data-dir", data()});
  const std::string db = testing::ReadFileOrEmpty(dir_ / "data" / "vigil.db") +
                         testing::ReadFileOrEmpty(dir_ / "data" / "vigil.db-wal") +
                         testing::ReadFileOrEmpty(dir_ / "data" / "vigil.db-shm");
  serve.Signal(SIGTERM);
  ASSERT_EQ(serve.Wait(std::chrono::seconds(30)), 0) << serve.output();
  const std::string kek = testing::ReadFileOrEmpty(key_file());

  int json_lines = 0;
  std::istringstream lines(serve.output());
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;
    EXPECT_TRUE(nlohmann::json::accept(line)) << line;
    ++json_lines;
  }
  EXPECT_EQ(rotate.exit_code, 0) << rotate.output;
  EXPECT_GE(json_lines, 2) << serve.output();  // At least the access log and the stop line.
  ASSERT_FALSE(kek.empty());
  EXPECT_EQ(serve.output().find(kek), std::string::npos);
  EXPECT_EQ(db.find(kek), std::string::npos);
}

TEST_F(VigilCli, AuditRecordsServerLifeAndVerifies) {
  ServeOnce();

  const auto verify = Vigil({"audit", "verify", "--data-dir", data()});
  const auto exported = Vigil({"audit", "export", "--data-dir", data()});

  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("audit log intact"), std::string::npos) << verify.output;
  EXPECT_NE(exported.output.find("\"action\":\"server.start\""), std::string::npos);
  EXPECT_NE(exported.output.find("\"action\":\"server.stop\""), std::string::npos);
}

TEST_F(VigilCli, RawSqlEditOfTheAuditLogIsReported) {
  VIGIL_REQUIRE_TOOL(sqlite3, "sqlite3");
  ServeOnce();
  ServeOnce();

  const auto edit = RunProcess(
      {sqlite3.string(), data() + "/vigil.db", "UPDATE audit_log SET actor='nobody' WHERE seq=2"});
  const auto verify = Vigil({"audit", "verify", "--data-dir", data()});

  ASSERT_EQ(edit.exit_code, 0) << edit.output;
  EXPECT_EQ(verify.exit_code, 3) << verify.output;
  EXPECT_NE(verify.output.find("BROKEN at entry 2"), std::string::npos) << verify.output;
}

TEST_F(VigilCli, TruncatedAuditTailIsReported) {
  VIGIL_REQUIRE_TOOL(sqlite3, "sqlite3");
  ServeOnce();
  ServeOnce();

  const auto cut =
      RunProcess({sqlite3.string(), data() + "/vigil.db",
                  "DELETE FROM audit_log WHERE seq>2; DELETE FROM audit_checkpoints;"});
  const auto verify = Vigil({"audit", "verify", "--data-dir", data()});

  ASSERT_EQ(cut.exit_code, 0) << cut.output;
  EXPECT_EQ(verify.exit_code, 3) << verify.output;
  EXPECT_NE(verify.output.find("BROKEN at entry 3"), std::string::npos) << verify.output;
}

TEST_F(VigilCli, KeyRotationAndKekReplacement) {
  ServeOnce();
  const std::string new_kek = (dir_ / "new.kek").string();

  const auto rotate = Vigil({"keys", "rotate", "--data-dir", data()});
  const auto rekey = Vigil({"keys", "rotate-kek", "--data-dir", data(), "--new-key-file", new_kek});
  const auto old_key = Vigil({"keys", "status", "--data-dir", data()});
  const auto new_key =
      Vigil({"keys", "status", "--data-dir", data()}, {{"VIGIL_KEY_FILE", new_kek}});
  const auto verify =
      Vigil({"audit", "verify", "--data-dir", data()}, {{"VIGIL_KEY_FILE", new_kek}});

  EXPECT_EQ(rotate.exit_code, 0) << rotate.output;
  // Everything sealed under version 1 was re-sealed under version 2: the audit signing key, the
  // device CA's root and intermediate (keys and certificates) and its CRL number.
  EXPECT_NE(rotate.output.find("new DEK version 2; 6 sealed values re-sealed"), std::string::npos)
      << rotate.output;
  EXPECT_EQ(rekey.exit_code, 0) << rekey.output;
  EXPECT_EQ(old_key.exit_code, 1) << old_key.output;
  EXPECT_EQ(new_key.exit_code, 0) << new_key.output;
  EXPECT_NE(new_key.output.find("current DEK:     version 2"), std::string::npos) << new_key.output;
  EXPECT_NE(new_key.output.find("DEK version 1: 0 sealed values"), std::string::npos)
      << new_key.output;
  EXPECT_NE(new_key.output.find("DEK version 2: 6 sealed values"), std::string::npos)
      << new_key.output;
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

TEST_F(VigilCli, BackupWritesAConsistentCopy) {
  VIGIL_REQUIRE_TOOL(sqlite3, "sqlite3");
  ServeOnce();

  const auto backup = Vigil({"backup", (dir_ / "backup").string(), "--data-dir", data()});
  const auto count = RunProcess({sqlite3.string(), (dir_ / "backup" / "vigil.db").string(),
                                 "SELECT count(*) > 0 FROM audit_log"});

  EXPECT_EQ(backup.exit_code, 0) << backup.output;
  EXPECT_EQ(count.output, "1\n");
}

TEST_F(VigilCli, InvalidConfigurationStopsStartWithFileAndLine) {
  RunProcess({"mkdir", "-p", data()});
  RunProcess({"sh", "-c", "printf '[server]\\nlisten = 8443\\n' > " + data() + "/vigil.toml"});

  const auto serve = Vigil({"serve", "--data-dir", data()});

  EXPECT_EQ(serve.exit_code, 2) << serve.output;
  EXPECT_NE(serve.output.find("vigil.toml:2: server.listen: expected a string"), std::string::npos)
      << serve.output;
}

TEST_F(VigilCli, WrongModeKeyFileIsRefused) {
  ServeOnce();
  RunProcess({"chmod", "644", key_file()});

  const auto status = Vigil({"keys", "status", "--data-dir", data()});

  EXPECT_EQ(status.exit_code, 1) << status.output;
  EXPECT_NE(status.output.find("key file"), std::string::npos) << status.output;
}

TEST_F(VigilCli, ForeignDatabaseIsRefusedUntouched) {
  VIGIL_REQUIRE_TOOL(sqlite3, "sqlite3");
  RunProcess({"mkdir", "-p", data()});
  RunProcess({sqlite3.string(), data() + "/vigil.db", "CREATE TABLE patients(id INTEGER)"});

  const auto serve = Vigil({"serve", "--data-dir", data(), "--listen", "127.0.0.1:0",
                            "--gateway-listen", "127.0.0.1:0"});
  const auto tables = RunProcess(
      {sqlite3.string(), data() + "/vigil.db", "SELECT group_concat(name) FROM sqlite_master"});

  EXPECT_EQ(serve.exit_code, 1) << serve.output;
  EXPECT_EQ(tables.output, "patients\n");
}

}  // namespace
}  // namespace vigil::cli_test
