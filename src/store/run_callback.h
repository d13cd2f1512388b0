#pragma once

// RunCallback: runs a Write() or Read() callback so that an exception becomes kInternal, since
// our code never throws across modules and a throwing callback must not take a store's writer
// thread down. Shared by the Store implementations.

#include <exception>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::store {

template <typename Fn, typename Tx>
Status RunCallback(const Fn& fn, Tx& tx, std::string_view what) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, std::string(what) + ": callback threw: " + e.what());
  } catch (...) {
    return MakeError(ErrorCode::kInternal, std::string(what) + ": callback threw");
  }
}

}  // namespace vigil::store
