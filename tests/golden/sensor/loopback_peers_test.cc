// Real peers on loopback, each conversation captured by the test with tcpdump and then read by
// vigil: DCMTK (echoscu, storescu, storescp; dcmqrscp refusing a called AE title; storescp and
// storescu over TLS), mllp_send to a small MLLP listener with a made-up ADT message, and an
// openssl s_server / s_client TLS 1.2 handshake. Everything sent is synthetic.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "golden/sensor/sensor_run.h"
#include "integration/cli/process.h"
#include "testing/fixtures.h"

namespace vigil::golden {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool WaitListening(std::uint16_t port) {
  for (int i = 0; i < 100; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    ::close(fd);
    if (ok) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

// tcpdump on lo for the life of the object; Stop() ends it and returns the capture.
class LoopbackCapture {
 public:
  LoopbackCapture(const fs::path& file, std::uint16_t port)
      : file_(file),
        tcpdump_({"tcpdump", "-i", "lo", "--immediate-mode", "-U", "-n", "-w", file.string(),
                  "tcp port " + std::to_string(port)}) {
    listening_ = tcpdump_.WaitFor("listening", 20s);
  }
  bool listening() const { return listening_; }
  fs::path Stop() {
    std::this_thread::sleep_for(300ms);  // The last segments reach the capture buffer.
    tcpdump_.Signal(SIGINT);
    tcpdump_.Wait(10s);
    return file_;
  }
  const std::string& output() const { return tcpdump_.output(); }

 private:
  fs::path file_;
  cli_test::Child tcpdump_;
  bool listening_ = false;
};

// Skips unless we are root (tcpdump on lo) and every tool is installed (fails under CI).
#define REQUIRE_PEERS(...)                                                                  \
  do {                                                                                      \
    if (::geteuid() != 0) GTEST_SKIP() << "capturing on lo with tcpdump needs root";        \
    for (const char* tool : {"tcpdump", "tshark", __VA_ARGS__}) {                           \
      if (!testing::FindTool(tool)) {                                                       \
        VIGIL_SKIP_OR_FAIL(std::string(tool) + " is not installed (scripts/install-deps)"); \
      }                                                                                     \
    }                                                                                       \
  } while (false)

std::string One(const std::vector<Json>& observations, std::string_view key) {
  const auto values = AllFactValues(observations, key);
  return values.empty() ? std::string("(absent)") : values[0];
}

// A tiny synthetic Secondary Capture object made with dump2dcm: no patient, no pixels.
fs::path MakeDicomFile(const testing::TempDir& dir) {
  std::ofstream(dir / "sc.dump") << "(0008,0016) UI =SecondaryCaptureImageStorage\n"
                                    "(0008,0018) UI [1.2.826.0.1.3680043.2.1125.99.1]\n"
                                    "(0008,0060) CS [OT]\n"
                                    "(0010,0010) PN [SYNTHETIC^TEST]\n"
                                    "(0020,000d) UI [1.2.826.0.1.3680043.2.1125.99.2]\n"
                                    "(0020,000e) UI [1.2.826.0.1.3680043.2.1125.99.3]\n";
  const auto made =
      cli_test::RunProcess({"dump2dcm", (dir / "sc.dump").string(), (dir / "sc.dcm").string()});
  EXPECT_EQ(made.exit_code, 0) << made.output;
  return dir / "sc.dcm";
}

TEST(LoopbackPeers, DicomEchoAndStoreGiveBothAeTitlesAndDcmtkVersion) {
  REQUIRE_PEERS("storescp", "storescu", "echoscu", "dump2dcm");
  testing::TempDir dir;
  const fs::path object = MakeDicomFile(dir);
  fs::create_directory(dir / "in");
  const std::uint16_t port = FreePort();
  cli_test::Child scp(
      {"storescp", "-aet", "PACS_H4", "-od", (dir / "in").string(), std::to_string(port)});
  ASSERT_TRUE(WaitListening(port)) << scp.output();
  LoopbackCapture capture(dir / "dicom.pcap", port);
  ASSERT_TRUE(capture.listening()) << capture.output();
  const auto echo = cli_test::RunProcess(
      {"echoscu", "-aet", "MODALITY_H4", "-aec", "PACS_H4", "127.0.0.1", std::to_string(port)});
  const auto store = cli_test::RunProcess({"storescu", "-aet", "MODALITY_H4", "-aec", "PACS_H4",
                                           "127.0.0.1", std::to_string(port), object.string()});
  scp.Signal(SIGTERM);
  scp.Wait(5s);
  const fs::path pcap = capture.Stop();
  ASSERT_EQ(echo.exit_code, 0) << echo.output;
  ASSERT_EQ(store.exit_code, 0) << store.output;

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  const auto dicom = Select(sensor.records, "observation", "dicom");
  EXPECT_EQ(FactSet(dicom, "dicom.calling_ae"), std::set<std::string>{"MODALITY_H4"});
  EXPECT_EQ(FactSet(dicom, "dicom.called_ae"), std::set<std::string>{"PACS_H4"});
  EXPECT_EQ(FactSet(dicom, "dicom.role"),
            (std::set<std::string>{"verification_scu", "storage_scu"}));
  EXPECT_TRUE(FactSet(dicom, "dicom.sop_class").count("Secondary Capture Image Storage") == 1)
      << sensor.run.out;
  // The implementation class and version names DCMTK sent, as tshark reads them.
  const auto rows = Tshark(pcap, {"dicom.userinfo.uid", "dicom.userinfo.version"}, "dicom", ',',
                           {"-d", "tcp.port==" + std::to_string(port) + ",dicom"});
  std::set<std::string> versions, classes;
  for (const auto& row : rows) {
    for (const auto& v : Split(row[1], ',')) versions.insert(v);
    for (const auto& c : Split(row[0], ',')) classes.insert(c);
  }
  ASSERT_FALSE(versions.empty()) << "tshark found no implementation version";
  EXPECT_EQ(FactSet(dicom, "dicom.implementation_version"), versions);
  EXPECT_EQ(FactSet(dicom, "dicom.implementation_class"), classes);
  for (const auto& f : Select(sensor.records, "flow"))
    EXPECT_EQ(f.value("application", ""), "dicom");
}

TEST(LoopbackPeers, DicomAssociationRefusedByCalledAeTitleGivesTheReject) {
  REQUIRE_PEERS("dcmqrscp", "echoscu");
  testing::TempDir dir;
  fs::create_directory(dir / "db");
  const std::uint16_t port = FreePort();
  std::ofstream(dir / "dcmqrscp.cfg")
      << "NetworkTCPPort = " << port << "\nMaxPDUSize = 16384\nMaxAssociations = 4\n"
      << "HostTable BEGIN\nHostTable END\nVendorTable BEGIN\nVendorTable END\n"
      << "AETable BEGIN\nARCHIVE_H4 " << (dir / "db").string() << " RW (10, 64mb) ANY\n"
      << "AETable END\n";
  cli_test::Child scp({"dcmqrscp", "--single-process", "-c", (dir / "dcmqrscp.cfg").string()});
  ASSERT_TRUE(WaitListening(port)) << scp.output();
  LoopbackCapture capture(dir / "reject.pcap", port);
  ASSERT_TRUE(capture.listening()) << capture.output();
  const auto echo = cli_test::RunProcess(
      {"echoscu", "-aet", "MODALITY_H4", "-aec", "NOBODY_H4", "127.0.0.1", std::to_string(port)});
  scp.Signal(SIGTERM);
  scp.Wait(5s);
  const fs::path pcap = capture.Stop();
  ASSERT_NE(echo.exit_code, 0) << "dcmqrscp should refuse NOBODY_H4: " << echo.output;

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  const auto dicom = Select(sensor.records, "observation", "dicom");
  EXPECT_EQ(FactSet(dicom, "dicom.calling_ae"), std::set<std::string>{"MODALITY_H4"});
  const auto rejects = AllFactValues(dicom, "dicom.reject");
  ASSERT_EQ(rejects.size(), 1u) << sensor.run.out;
  EXPECT_NE(rejects[0].find("called-ae-title-not-recognized"), std::string::npos) << rejects[0];
}

// A key and a self-signed certificate for `cn`, valid `days`.
void MakeCertificate(const testing::TempDir& dir, const std::string& cn, int days) {
  const auto made = cli_test::RunProcess(
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-keyout", (dir / "key.pem").string(), "-out", (dir / "cert.pem").string(),
       "-days", std::to_string(days), "-subj", "/CN=" + cn});
  ASSERT_EQ(made.exit_code, 0) << made.output;
}

TEST(LoopbackPeers, DicomOverTlsIsATlsFlowWithoutDicomFacts) {
  REQUIRE_PEERS("storescp", "storescu", "dump2dcm", "openssl");
  testing::TempDir dir;
  MakeCertificate(dir, "pacs-h4.test", 30);
  const fs::path object = MakeDicomFile(dir);
  fs::create_directory(dir / "in");
  const std::string key = (dir / "key.pem").string(), cert = (dir / "cert.pem").string();
  const std::uint16_t port = FreePort();
  cli_test::Child scp({"storescp", "-aet", "PACS_H4", "-od", (dir / "in").string(), "+tls", key,
                       cert, "+cf", cert, std::to_string(port)});
  ASSERT_TRUE(WaitListening(port)) << scp.output();
  LoopbackCapture capture(dir / "dicom-tls.pcap", port);
  ASSERT_TRUE(capture.listening()) << capture.output();
  const auto store =
      cli_test::RunProcess({"storescu", "-aet", "MODALITY_H4", "-aec", "PACS_H4", "+tls", key, cert,
                            "+cf", cert, "127.0.0.1", std::to_string(port), object.string()});
  scp.Signal(SIGTERM);
  scp.Wait(5s);
  const fs::path pcap = capture.Stop();
  ASSERT_EQ(store.exit_code, 0) << store.output;

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  EXPECT_TRUE(Select(sensor.records, "observation", "dicom").empty()) << sensor.run.out;
  const auto flows = Select(sensor.records, "flow");
  ASSERT_FALSE(flows.empty());
  for (const auto& f : flows) EXPECT_EQ(f.value("application", ""), "tls") << f.dump();
  // DCMTK negotiates TLS 1.3 with OpenSSL 3, where the certificate travels encrypted; under
  // TLS 1.2 the sensor reads it.
  const auto tls = Select(sensor.records, "observation", "tls");
  const std::string version = One(tls, "tls.version");
  EXPECT_TRUE(version == "TLS 1.3" || version == "TLS 1.2") << version;
  if (version == "TLS 1.2") {
    EXPECT_EQ(One(tls, "tls.cert_subject_cn"), "pacs-h4.test");
  }
}

TEST(LoopbackPeers, Hl7OverMllpGivesHeaderFactsAndThePatientDataFinding) {
  REQUIRE_PEERS("mllp_send", "python3");
  testing::TempDir dir;
  // A made-up admission: every name and number below is invented for this test.
  const std::string message =
      "MSH|^~\\&|H4_ADMIT|H4_WARD|H4_ENGINE|H4_HOSP|20240101120000||ADT^A01|H4CTRL0001|P|2.5\r"
      "EVN|A01|20240101120000\r"
      "PID|1||H4MRN778899^^^H4_HOSP||Quokkason^Fictitia||19700101|F|||1 Nowhere Lane^^Faketown\r"
      "PV1|1|I|H4WARD^101^1\r";
  std::ofstream(dir / "adt.hl7", std::ios::binary) << message;
  // The listener answers each MLLP frame with an AA acknowledgement.
  std::ofstream(dir / "listener.py") << R"(import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); print("ready", flush=True)
c, _ = s.accept(); data = b""
while not data.endswith(b"\x1c\r"):
    chunk = c.recv(4096)
    if not chunk: break
    data += chunk
ack = b"MSH|^~\\&|H4_ENGINE|H4_HOSP|H4_ADMIT|H4_WARD|20240101120001||ACK|H4ACK0001|P|2.5\rMSA|AA|H4CTRL0001\r"
c.sendall(b"\x0b" + ack + b"\x1c\r"); c.close()
)";
  const std::uint16_t port = FreePort();
  cli_test::Child listener({"python3", (dir / "listener.py").string(), std::to_string(port)});
  ASSERT_TRUE(listener.WaitFor("ready", 10s)) << listener.output();
  LoopbackCapture capture(dir / "hl7.pcap", port);
  ASSERT_TRUE(capture.listening()) << capture.output();
  const auto sent =
      cli_test::RunProcess({"mllp_send", "-q", "--loose", "--port", std::to_string(port), "--file",
                            (dir / "adt.hl7").string(), "127.0.0.1"});
  listener.Wait(5s);
  const fs::path pcap = capture.Stop();
  ASSERT_EQ(sent.exit_code, 0) << sent.output;

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  const auto hl7 = Select(sensor.records, "observation", "hl7");
  EXPECT_EQ(FactSet(hl7, "hl7.sending_application"),
            (std::set<std::string>{"H4_ADMIT", "H4_ENGINE"}));
  EXPECT_EQ(FactSet(hl7, "hl7.message_type"), (std::set<std::string>{"ADT^A01", "ACK"}));
  EXPECT_EQ(FactSet(hl7, "hl7.version"), std::set<std::string>{"2.5"});
  EXPECT_EQ(FactSet(hl7, "hl7.ack_code"), std::set<std::string>{"AA"});
  const auto findings = Select(sensor.records, "finding", "hl7");
  ASSERT_EQ(findings.size(), 1u) << sensor.run.out;
  EXPECT_EQ(findings[0]["kind"], "cleartext_patient_data");
  const std::string everything = sensor.run.out + sensor.run.err;
  for (const char* phi : {"H4MRN778899", "Quokkason", "Fictitia", "19700101", "Nowhere Lane",
                          "Faketown", "H4CTRL0001"}) {
    EXPECT_EQ(everything.find(phi), std::string::npos) << phi << " leaked into vigil's output";
  }
}

TEST(LoopbackPeers, Tls12HandshakeGivesSniCertificateAndTsharksJa3) {
  REQUIRE_PEERS("openssl");
  testing::TempDir dir;
  MakeCertificate(dir, "monitor-h4.test", 45);
  const std::uint16_t port = FreePort();
  // s_server prints ACCEPT when it listens; -naccept 1: it serves one client and exits; -www:
  // it answers over HTTP instead of reading its stdin (which is closed here, and an end of
  // stdin would make it drop the connection right after the handshake).
  cli_test::Child server({"openssl", "s_server", "-accept", std::to_string(port), "-tls1_2", "-key",
                          (dir / "key.pem").string(), "-cert", (dir / "cert.pem").string(),
                          "-naccept", "1", "-www"});
  ASSERT_TRUE(server.WaitFor("ACCEPT", 10s)) << server.output();
  LoopbackCapture capture(dir / "tls.pcap", port);
  ASSERT_TRUE(capture.listening()) << capture.output();
  const auto client =
      cli_test::RunProcess({"sh", "-c",
                            "echo Q | openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                                " -servername monitor-h4.test -tls1_2"});
  server.Wait(5s);
  const fs::path pcap = capture.Stop();
  ASSERT_NE(client.output.find("BEGIN CERTIFICATE"), std::string::npos) << client.output;
  const auto end_date = cli_test::RunProcess({"openssl", "x509", "-in", (dir / "cert.pem").string(),
                                              "-noout", "-enddate", "-dateopt", "iso_8601"});

  const SensorRun sensor = RunSensor({pcap});

  ASSERT_EQ(sensor.run.exit_code, 0) << sensor.run.err;
  const auto tls = Select(sensor.records, "observation", "tls");
  EXPECT_EQ(FactSet(tls, "tls.sni"), std::set<std::string>{"monitor-h4.test"});
  EXPECT_EQ(One(tls, "tls.version"), "TLS 1.2");
  EXPECT_EQ(One(tls, "tls.cert_subject_cn"), "monitor-h4.test");
  // openssl prints "notAfter=2026-01-01 00:00:00Z"; we print "2026-01-01T00:00:00Z".
  if (end_date.exit_code == 0) {
    std::string expected = end_date.output.substr(end_date.output.find('=') + 1);
    while (!expected.empty() && (expected.back() == '\n')) expected.pop_back();
    std::replace(expected.begin(), expected.end(), ' ', 'T');
    EXPECT_EQ(One(tls, "tls.cert_not_after"), expected);
  }
  const auto ja3 = Tshark(pcap, {"tls.handshake.ja3"}, "tls.handshake.type == 1", ',',
                          {"-d", "tcp.port==" + std::to_string(port) + ",tls"});
  ASSERT_EQ(ja3.size(), 1u);
  EXPECT_EQ(FactSet(tls, "tls.ja3"), std::set<std::string>{ja3[0][0]});
}

}  // namespace
}  // namespace vigil::golden
