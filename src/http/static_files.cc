#include "http/static_files.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>

namespace vigil::http {
namespace {

constexpr std::uintmax_t kMaxTotalBytes = 64u << 20;

std::string ContentType(const std::filesystem::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".map", "application/json"},
  };
  const auto found = kTypes.find(path.extension().string());
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

bool SafeName(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

using Files = std::map<std::string, Response, std::less<>>;

// Loads the regular files of `dir` (not below it) under `prefix` + name.
void LoadFolder(const std::filesystem::path& dir, const std::string& prefix, bool immutable,
                Files& files, std::uintmax_t& total) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec) || !SafeName(name)) continue;
    total += entry.file_size(ec);
    if (total > kMaxTotalBytes) {
      spdlog::warn("http: dashboard assets over {} MiB; not serving {}", kMaxTotalBytes >> 20,
                   entry.path().string());
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    Response response{
        .status = 200, .content_type = ContentType(entry.path()), .body = bytes.str()};
    if (immutable) {
      response.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
    }
    files.emplace(prefix + name, std::move(response));
  }
}

}  // namespace

std::size_t AddStaticRoutes(Router& router, const std::filesystem::path& web_root) {
  auto files = std::make_shared<Files>();
  std::uintmax_t total = 0;
  std::error_code ec;
  if (std::filesystem::is_regular_file(web_root / "index.html", ec)) {
    LoadFolder(web_root, "/", false, *files, total);
    LoadFolder(web_root / "assets", "/assets/", true, *files, total);
  }
  const std::size_t count = files->size();
  router.Add("GET", "/", Access::Public(), [files, web_root](const Request&) {
    const auto page = files->find("/index.html");
    if (page != files->end()) return page->second;
    return Response{.status = 503,
                    .content_type = "text/plain; charset=utf-8",
                    .body = "The Vigil dashboard is not built (no " + web_root.string() +
                            "/index.html).\nBuild it with `make web`, or use the API.\n"};
  });
  auto serve = [files](const Request& request) {
    const auto found = files->find(request.path);
    if (found == files->end()) return JsonError(404, "not_found", "no such file");
    return found->second;
  };
  router.Add("GET", "/assets/{file}", Access::Public(), serve);
  router.Add("GET", "/{file}", Access::Public(), serve);
  return count;
}

}  // namespace vigil::http
