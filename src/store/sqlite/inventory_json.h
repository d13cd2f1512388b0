#pragma once

// The JSON bodies of the inventory tables (schema in migrations.cc, version 4): an observed
// device and a finding as nlohmann::json text. Private to store/sqlite: the REST API has its
// own forms. Reading a body that is not what WriteX made is kDataLoss (a damaged row).
// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "core/result.h"
#include "model/inventory.h"
#include "model/observation.h"

namespace vigil::store::sqlite {

std::string ObservedDeviceBody(const model::ObservedDevice& device);
Result<model::ObservedDevice> ParseObservedDeviceBody(std::string_view body);

std::string FindingBody(const model::Finding& finding);
Result<model::Finding> ParseFindingBody(std::string_view body);

}  // namespace vigil::store::sqlite
