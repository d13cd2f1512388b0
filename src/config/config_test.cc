#include "config/config.h"

#include <gtest/gtest.h>

namespace vigil::config {
namespace {

TEST(ConfigParse, EmptyTextGivesDefaults) {
  const auto c = Parse("", "vigil.toml");

  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server.listen, "127.0.0.1:8443");
  EXPECT_EQ(c->storage.data_dir, "./var/data");
  EXPECT_EQ(c->audit.checkpoint_interval, 1000);
}

TEST(ConfigParse, ReadsEverySection) {
  const auto c = Parse(R"(
[server]
listen = "0.0.0.0:9443"
threads = 4
access_log = false
[storage]
data_dir = "/srv/vigil"
[audit]
checkpoint_interval = 10
[identity]
session_idle_timeout_seconds = 8
lockout_threshold = 3
first_admin = "root-admin"
[log]
format = "json"
level = "debug"
)",
                       "vigil.toml");

  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server.listen, "0.0.0.0:9443");
  EXPECT_EQ(c->server.threads, 4);
  EXPECT_FALSE(c->server.access_log);
  EXPECT_EQ(c->storage.data_dir, "/srv/vigil");
  EXPECT_EQ(c->audit.checkpoint_interval, 10);
  EXPECT_EQ(c->log.format, "json");
  EXPECT_EQ(c->identity.session_idle_timeout_seconds, 8);
  EXPECT_EQ(c->identity.lockout_threshold, 3);
  EXPECT_EQ(c->identity.first_admin, "root-admin");
  EXPECT_EQ(c->identity.session_absolute_timeout_seconds, 43200);
}

TEST(ConfigParse, IdentityCrossFieldRules) {
  const auto c = Parse(
      "[identity]\nsession_idle_timeout_seconds = 600\n"
      "session_absolute_timeout_seconds = 60\n",
      "vigil.toml");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("session_absolute_timeout_seconds"), std::string::npos);
}

TEST(ConfigParse, ReadsTheGatewayAndDevices) {
  const auto c = Parse(R"(
[gateway]
listen = "0.0.0.0:9444"
server_names = ["vigil.hospital.example", "10.1.2.3"]
requests_per_second = 7
[devices]
certificate_days = 30
telemetry_raw_days = 2
)",
                       "vigil.toml");

  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->gateway.listen, "0.0.0.0:9444");
  EXPECT_EQ(c->gateway.server_names,
            (std::vector<std::string>{"vigil.hospital.example", "10.1.2.3"}));
  EXPECT_EQ(c->gateway.requests_per_second, 7);
  EXPECT_EQ(c->devices.certificate_days, 30);
  EXPECT_EQ(c->devices.telemetry_raw_days, 2);
  EXPECT_EQ(c->devices.telemetry_rollup_days, 90);
}

TEST(ConfigParse, GatewayNeedsItsOwnPortAndAListOfNames) {
  const auto same = Parse("[gateway]\nlisten = \"127.0.0.1:8443\"\n", "vigil.toml");
  const auto not_list = Parse("[gateway]\nserver_names = \"a\"\n", "vigil.toml");

  ASSERT_FALSE(same);
  EXPECT_NE(same.error().message.find("own port"), std::string::npos);
  ASSERT_FALSE(not_list);
  EXPECT_NE(not_list.error().message.find("an array of strings"), std::string::npos);
}

TEST(ConfigParse, SyntaxErrorNamesFileAndLine) {
  const auto c = Parse("[server]\nlisten = \"x\"\nthreads = = 3\n", "/etc/vigil.toml");

  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(c.error().message.rfind("/etc/vigil.toml:3:", 0), 0u) << c.error().message;
}

TEST(ConfigParse, UnknownKeyIsAnError) {
  const auto c = Parse("[server]\nlisten = \"x:1\"\nlistne = \"y\"\n", "v.toml");

  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("v.toml:3: unknown option server.listne"), std::string::npos)
      << c.error().message;
}

TEST(ConfigParse, WrongTypeAndRangeAreErrors) {
  const auto type = Parse("[server]\nthreads = \"two\"\n", "v.toml");
  const auto range = Parse("[server]\nthreads = 0\n", "v.toml");
  const auto section = Parse("[sever]\n", "v.toml");
  const auto format = Parse("[log]\nformat = \"xml\"\n", "v.toml");

  ASSERT_FALSE(type);
  EXPECT_NE(type.error().message.find("v.toml:2: server.threads: expected an integer"),
            std::string::npos)
      << type.error().message;
  ASSERT_FALSE(range);
  EXPECT_NE(range.error().message.find("outside 1..64"), std::string::npos);
  EXPECT_FALSE(section);
  EXPECT_FALSE(format);
}

TEST(ConfigParse, CertificateAndKeyGoTogether) {
  EXPECT_FALSE(Parse("[server]\ntls_cert = \"/x.crt\"\n", "v.toml"));
  EXPECT_TRUE(Parse("[server]\ntls_cert = \"/x.crt\"\ntls_key = \"/x.key\"\n", "v.toml"));
}

TEST(ConfigEnvironment, OverridesTheFile) {
  const auto file = Parse("[server]\nlisten = \"127.0.0.1:1\"\n", "v.toml");
  ASSERT_TRUE(file);

  const auto c = ApplyEnvironment(
      *file,
      {{"VIGIL_LISTEN", "127.0.0.1:2"}, {"VIGIL_DATA_DIR", "/d"}, {"VIGIL_LOG_FORMAT", "json"}});

  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server.listen, "127.0.0.1:2");
  EXPECT_EQ(c->storage.data_dir, "/d");
  EXPECT_EQ(c->log.format, "json");
  EXPECT_FALSE(ApplyEnvironment(*file, {{"VIGIL_THREADS", "many"}}));
  EXPECT_FALSE(ApplyEnvironment(*file, {{"VIGIL_LOG_LEVEL", "loud"}}));
}

TEST(ConfigPaths, KeyFileDefaultsBesideTheDataDirectory) {
  Config c;
  c.storage.data_dir = "/srv/vigil/data/";

  EXPECT_EQ(KeyFilePath(c, {}), "/srv/vigil/data.keys/kek");
  EXPECT_EQ(KeyFilePath(c, {{"CREDENTIALS_DIRECTORY", "/run/credentials/vigil.service"}}),
            "/run/credentials/vigil.service/vigil-kek");
  EXPECT_EQ(CheckpointFilePath(c), "/srv/vigil/data.keys/audit-checkpoints.jsonl");
  c.storage.key_file = "/etc/vigil/kek";
  EXPECT_EQ(KeyFilePath(c, {}), "/etc/vigil/kek");
}

TEST(ConfigLoadFile, MissingFileIsNotFound) {
  const auto c = LoadFile("/nonexistent/vigil.toml");

  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vigil::config
