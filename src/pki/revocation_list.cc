#include "pki/revocation_list.h"

#include <algorithm>
#include <mutex>

namespace vigil::pki {
namespace {

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return text;
}

}  // namespace

void RevocationList::Replace(std::vector<std::string> serials) {
  Set fresh;
  fresh.reserve(serials.size());
  for (std::string& serial : serials) {
    fresh.insert(Lowercase(std::move(serial)));
  }
  std::unique_lock lock(mutex_);
  serials_.swap(fresh);
}

void RevocationList::Add(std::string serial) {
  std::string key = Lowercase(std::move(serial));
  std::unique_lock lock(mutex_);
  serials_.insert(std::move(key));
}

bool RevocationList::IsRevoked(std::string_view serial) const {
  std::shared_lock lock(mutex_);
  return serials_.find(serial) != serials_.end();
}

std::size_t RevocationList::size() const {
  std::shared_lock lock(mutex_);
  return serials_.size();
}

}  // namespace vigil::pki
