// issue_bench: device certificates per second from DeviceCa::IssueDeviceCertificate, for
// bench/pki-issue.sh, which runs openssl on the same CA and CSRs in the same run.
//
//   issue_bench prepare DIR N       a CA (DIR/root.pem, DIR/ca.pem, DIR/ca.key and the root
//                                   key) and N P-256 CSRs DIR/csr/NNNNNN.pem
//   issue_bench run DIR [THREADS]   loads them, issues one certificate per CSR split over
//                                   THREADS threads (default 1), prints the rate
//
// The output's last line is "issued N certificates in S s with T threads: R certificates/s,
// C per cpu-second".

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "pki/device_ca.h"
#include "pki/device_key.h"

namespace {

using vigil::pki::CaMaterial;
using vigil::pki::DeviceCa;

constexpr std::int64_t kLifetime = 90 * 24 * 3600;

std::int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool Write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

int Prepare(const std::filesystem::path& dir, int count) {
  const auto material = vigil::pki::CreateDeviceCa({}, NowUnix());
  if (!material) {
    std::fprintf(stderr, "issue_bench: %s\n", material.error().message.c_str());
    return 1;
  }
  std::filesystem::create_directories(dir / "csr");
  bool ok = Write(dir / "root.pem", material->root_cert_pem) &&
            Write(dir / "root.key", material->root_key_pem) &&
            Write(dir / "ca.pem", material->intermediate_cert_pem) &&
            Write(dir / "ca.key", material->intermediate_key_pem);
  for (int i = 0; ok && i < count; ++i) {
    const auto key = vigil::pki::GenerateDeviceKeyPem();
    const auto csr = key ? vigil::pki::MakeCsrPem(*key, "device") : tl::unexpected(key.error());
    char name[32];
    std::snprintf(name, sizeof name, "%06d.pem", i);
    ok = csr && Write(dir / "csr" / name, *csr);
  }
  if (!ok) {
    std::fprintf(stderr, "issue_bench: could not write under %s\n", dir.c_str());
    return 1;
  }
  return 0;
}

int Run(const std::filesystem::path& dir, int threads) {
  const CaMaterial material = {.root_cert_pem = Read(dir / "root.pem"),
                               .root_key_pem = Read(dir / "root.key"),
                               .intermediate_cert_pem = Read(dir / "ca.pem"),
                               .intermediate_key_pem = Read(dir / "ca.key")};
  const auto ca = DeviceCa::Load(material, NowUnix());
  if (!ca) {
    std::fprintf(stderr, "issue_bench: %s\n", ca.error().message.c_str());
    return 1;
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "csr")) {
    paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> csrs;
  for (const auto& path : paths) {
    csrs.push_back(Read(path));
  }
  const std::int64_t now = NowUnix();
  std::atomic<std::size_t> next{0};
  std::atomic<int> failures{0};
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < csrs.size(); i = next++) {
        char id[33];
        std::snprintf(id, sizeof id, "%032zx", i);
        if (!ca->IssueDeviceCertificate(csrs[i], id, now, kLifetime)) {
          ++failures;
        }
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = CpuSeconds() - cpu_start;
  if (failures > 0) {
    std::fprintf(stderr, "issue_bench: %d of %zu issues failed\n", failures.load(), csrs.size());
    return 1;
  }
  const auto n = static_cast<double>(csrs.size());
  std::printf(
      "issued %zu certificates in %.3f s with %d threads: %.0f certificates/s, %.0f per "
      "cpu-second\n",
      csrs.size(), seconds, threads, n / seconds, n / cpu);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 2 ? argv[1] : "";
  if (mode == "prepare" && argc == 4) {
    return Prepare(argv[2], std::atoi(argv[3]));
  }
  if (mode == "run" && (argc == 3 || argc == 4)) {
    return Run(argv[2], argc == 4 ? std::max(1, std::atoi(argv[3])) : 1);
  }
  std::fprintf(stderr, "usage: issue_bench prepare DIR N | issue_bench run DIR [THREADS]\n");
  return 2;
}
