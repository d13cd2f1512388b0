#include "integration/gateway/data_dir_ca.h"

#include <string>
#include <string_view>

#include "config/config.h"
#include "core/hex.h"
#include "pki/device_certificate.h"
#include "server/runtime.h"

namespace vigil::gateway_test {
namespace {

// The names DeviceService seals the CA under (server/device_service.cc).
Result<std::string> SecretText(store::ReadTransaction& tx, std::string_view name) {
  auto value = tx.secrets().Get(name);
  if (!value) return tl::unexpected(Annotate(std::move(value).error(), name));
  return std::string(AsChars(value->span()));
}

}  // namespace

Result<DataDirCa> LoadDataDirCa(const std::filesystem::path& data_dir, std::int64_t now_unix) {
  config::Config cfg;
  cfg.storage.data_dir = data_dir.string();
  if (const auto file = data_dir / "vigil.toml"; std::filesystem::exists(file)) {
    auto loaded = config::LoadFile(file, cfg);
    if (!loaded) return tl::unexpected(Annotate(std::move(loaded).error(), "config"));
    cfg = std::move(*loaded);
  }
  auto runtime = server::Runtime::Open(cfg, {.create = false});
  if (!runtime) return tl::unexpected(Annotate(std::move(runtime).error(), "data dir"));

  pki::CaMaterial material;
  VIGIL_RETURN_IF_ERROR((*runtime)->store().Read([&](store::ReadTransaction& tx) -> Status {
    auto root_cert = SecretText(tx, "pki/root.crt");
    auto root_key = SecretText(tx, "pki/root.key");
    auto mid_cert = SecretText(tx, "pki/intermediate.crt");
    auto mid_key = SecretText(tx, "pki/intermediate.key");
    for (const auto* r : {&root_cert, &root_key, &mid_cert, &mid_key}) {
      if (!*r) return tl::unexpected(r->error());
    }
    material = {.root_cert_pem = std::move(*root_cert),
                .root_key_pem = std::move(*root_key),
                .intermediate_cert_pem = std::move(*mid_cert),
                .intermediate_key_pem = std::move(*mid_key)};
    return OkStatus();
  }));

  auto intermediate = pki::DescribeDeviceCertificate(material.intermediate_cert_pem);
  if (!intermediate) return tl::unexpected(Annotate(std::move(intermediate).error(), "ca"));
  auto ca = pki::DeviceCa::Load(material, now_unix);
  if (!ca) return tl::unexpected(Annotate(std::move(ca).error(), "ca"));
  return DataDirCa{.ca = std::move(*ca),
                   .intermediate_not_before_unix = intermediate->not_before_unix};
}

}  // namespace vigil::gateway_test
