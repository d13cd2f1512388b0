#include "server/keys_service.h"

namespace vigil::server {

Result<KeyStatus> KeysService::Status() {
  KeyStatus out;
  out.key_file = rt_.key_file().string();
  out.current_version = rt_.ring().current_version();
  out.versions = rt_.ring().versions();
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> vigil::Status {
    auto list = tx.secrets().List();
    if (!list) return tl::unexpected(list.error());
    for (const auto& s : *list) ++out.secrets_by_version[s.key_version];
    return OkStatus();
  }));
  return out;
}

Result<RotateResult> KeysService::Rotate(const audit::Actor& actor) {
  RotateResult out;
  VIGIL_RETURN_IF_ERROR(rt_.ring().Rotate(rt_.clock().NowUnixSeconds()));
  out.new_version = rt_.ring().current_version();
  VIGIL_RETURN_IF_ERROR(rt_.store().Write([&](store::Transaction& tx) -> vigil::Status {
    auto moved = tx.secrets().ResealAll();
    if (!moved) return tl::unexpected(moved.error());
    out.resealed = *moved;
    auto seq = rt_.audit().Append(
        tx, {.actor = actor,
             .action = "keys.rotate",
             .target = "dek:" + std::to_string(out.new_version),
             .details = {{"new_version", out.new_version}, {"resealed", out.resealed}}});
    if (!seq) return tl::unexpected(seq.error());
    return OkStatus();
  }));
  return out;
}

vigil::Status KeysService::RotateKek(const std::filesystem::path& new_key_file,
                                     const audit::Actor& actor) {
  if (std::filesystem::absolute(new_key_file) == std::filesystem::absolute(rt_.key_file())) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "rotate-kek: the new key file is the current one; give a new path");
  }
  auto kek = crypto::LoadOrCreateKekFile(new_key_file);
  if (!kek) return tl::unexpected(Annotate(kek.error(), "new key file"));
  VIGIL_RETURN_IF_ERROR(rt_.ring().ReplaceKek(std::move(*kek)));
  return rt_.Record({.actor = actor,
                     .action = "keys.rotate_kek",
                     .target = "kek",
                     .details = {{"new_key_file", new_key_file.string()},
                                 {"old_key_file", rt_.key_file().string()}}});
}

}  // namespace vigil::server
