#include "testing/fixtures.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

namespace vigil::testing {
namespace fs = std::filesystem;

fs::path SourceDir() {
  const char* env = std::getenv("VIGIL_SOURCE_DIR");
  return env != nullptr && *env != '\0' ? fs::path(env) : fs::path(VIGIL_SOURCE_DIR_DEFAULT);
}

fs::path BinaryDir() {
  const char* env = std::getenv("VIGIL_BINARY_DIR");
  return env != nullptr && *env != '\0' ? fs::path(env) : fs::path(VIGIL_BINARY_DIR_DEFAULT);
}

std::optional<fs::path> FixturesDir() {
  if (const char* env = std::getenv("VIGIL_FIXTURES"); env != nullptr && *env != '\0') {
    if (fs::is_directory(env)) return fs::path(env);
    return std::nullopt;
  }
  const std::vector<fs::path> candidates = {SourceDir() / ".." / "shared" / "data",
                                            fs::current_path() / ".." / "shared" / "data"};
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) return fs::weakly_canonical(c, ec);
  }
  return std::nullopt;
}

std::optional<fs::path> Fixture(std::string_view relative) {
  auto dir = FixturesDir();
  if (!dir) return std::nullopt;
  fs::path p = *dir / relative;
  std::error_code ec;
  if (!fs::exists(p, ec)) return std::nullopt;
  return p;
}

std::optional<fs::path> FindTool(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::stringstream ss(path != nullptr ? path : "/usr/bin:/bin:/usr/sbin:/sbin");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    fs::path p = fs::path(dir) / name;
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return std::nullopt;
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

TempDir::TempDir() {
  std::string templ = (fs::temp_directory_path() / "vigil-test-XXXXXX").string();
  char* made = ::mkdtemp(templ.data());
  if (made == nullptr) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ReadFileOrEmpty(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace vigil::testing
