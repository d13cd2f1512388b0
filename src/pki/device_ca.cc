// DeviceCa::Load and the accessors: everything issuing needs is parsed and encoded here, once.

#include <openssl/evp.h>

#include <array>
#include <string>

#include "pki/certificate_info.h"
#include "pki/device_ca_state.h"
#include "pki/x509_build.h"

namespace vigil::pki {
namespace {

tl::unexpected<Error> CaError(ErrorCode code, std::string message) {
  ClearOpenSslErrors();
  return MakeError(code, "ca: " + std::move(message));
}

Result<OpenSslPtr<X509>> ParseCaCertificate(std::string_view pem, const char* what) {
  auto cert = ParseCertificatePem(pem);
  if (!cert) {
    return CaError(ErrorCode::kDataLoss,
                   std::string(what) + " certificate: " + cert.error().message);
  }
  return cert;
}

Result<OpenSslPtr<EVP_PKEY>> ParseCaKey(std::string_view pem, const char* what) {
  auto key = ParsePrivateKeyPem(pem);
  if (!key) {
    return CaError(ErrorCode::kDataLoss, std::string(what) + " key: " + key.error().message);
  }
  return key;
}

Status CheckCaPair(X509* cert, EVP_PKEY* key, const char* what, std::int64_t now_unix) {
  if (X509_check_private_key(cert, key) != 1) {
    return CaError(ErrorCode::kDataLoss, std::string(what) + " key does not match its certificate");
  }
  // X509_get_key_usage is UINT32_MAX when the extension is absent: any use.
  if ((X509_get_extension_flags(cert) & EXFLAG_CA) == 0 ||
      (X509_get_key_usage(cert) & KU_KEY_CERT_SIGN) == 0) {
    return CaError(ErrorCode::kInvalidArgument, std::string(what) + " is not a ca certificate");
  }
  const std::int64_t not_before = UnixTime(X509_get0_notBefore(cert));
  const std::int64_t not_after = UnixTime(X509_get0_notAfter(cert));
  if (now_unix < not_before || now_unix >= not_after) {
    return CaError(ErrorCode::kFailedPrecondition,
                   std::string(what) + " certificate is not valid now (valid from " +
                       std::to_string(not_before) + " to " + std::to_string(not_after) + ")");
  }
  return OkStatus();
}

bool IsP256(EVP_PKEY* key) {
  std::array<char, 64> group{};
  std::size_t length = 0;
  const bool p256 = EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
                    EVP_PKEY_get_group_name(key, group.data(), group.size(), &length) == 1 &&
                    std::string_view(group.data(), length) == "prime256v1";
  ClearOpenSslErrors();
  return p256;
}

Result<std::string> Organization(X509* cert) {
  const X509_NAME* name = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(name, NID_organizationName, -1);
  unsigned char* utf8 = nullptr;
  const int length =
      index < 0
          ? -1
          : ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  if (length <= 0) {
    OPENSSL_free(utf8);
    return CaError(ErrorCode::kInvalidArgument, "intermediate subject has no organization (O=)");
  }
  std::string organization(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return organization;
}

Result<OpenSslPtr<X509_EXTENSION>> AuthorityKeyId(X509* issuer) {
  OpenSslPtr<AUTHORITY_KEYID> akid(AUTHORITY_KEYID_new());
  if (!akid) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "ca: authority key id"));
  }
  if (const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(issuer); ski != nullptr) {
    akid->keyid = ASN1_OCTET_STRING_dup(ski);
  } else if (auto computed = KeyIdentifier(X509_get_X509_PUBKEY(issuer)); computed) {
    akid->keyid = computed->release();
  }
  OpenSslPtr<X509_EXTENSION> ext(akid->keyid == nullptr
                                     ? nullptr
                                     : X509V3_EXT_i2d(NID_authority_key_identifier, 0, akid.get()));
  if (!ext) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kInternal, "ca: authority key id"));
  }
  return ext;
}

// One signature, so that the key's provider-side copy exists before threads share the key.
Status WarmUpSigning(EVP_PKEY* key) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  static constexpr std::array<unsigned char, 4> kMessage = {'v', 'i', 'g', 'l'};
  std::array<unsigned char, 128> signature{};
  std::size_t length = signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), signature.data(), &length, kMessage.data(), kMessage.size()) != 1) {
    return tl::unexpected(
        PkiOpenSslError(ErrorCode::kDataLoss, "ca: intermediate key cannot sign"));
  }
  return OkStatus();
}

Status PrepareExtensions(DeviceCa::State& state) {
  auto basic = ConfExtension(nullptr, NID_basic_constraints, "critical,CA:FALSE");
  auto usage = ConfExtension(nullptr, NID_key_usage, "critical,digitalSignature");
  auto client = ConfExtension(nullptr, NID_ext_key_usage, "clientAuth");
  auto server = ConfExtension(nullptr, NID_ext_key_usage, "serverAuth");
  auto akid = AuthorityKeyId(state.intermediate.get());
  for (const auto* ext : {&basic, &usage, &client, &server, &akid}) {
    if (!*ext) {
      return tl::unexpected(Annotate(ext->error(), "ca"));
    }
  }
  state.leaf_basic_constraints = std::move(*basic);
  state.leaf_key_usage = std::move(*usage);
  state.client_auth = std::move(*client);
  state.server_auth = std::move(*server);
  state.authority_key_id = std::move(*akid);
  return OkStatus();
}

}  // namespace

Result<DeviceCa> DeviceCa::Load(const CaMaterial& material, std::int64_t now_unix) {
  auto root = ParseCaCertificate(material.root_cert_pem, "root");
  auto root_key = ParseCaKey(material.root_key_pem, "root");
  auto intermediate = ParseCaCertificate(material.intermediate_cert_pem, "intermediate");
  auto intermediate_key = ParseCaKey(material.intermediate_key_pem, "intermediate");
  if (!root || !root_key || !intermediate || !intermediate_key) {
    return tl::unexpected(!root           ? root.error()
                          : !root_key     ? root_key.error()
                          : !intermediate ? intermediate.error()
                                          : intermediate_key.error());
  }
  VIGIL_RETURN_IF_ERROR(CheckCaPair(root->get(), root_key->get(), "root", now_unix));
  VIGIL_RETURN_IF_ERROR(
      CheckCaPair(intermediate->get(), intermediate_key->get(), "intermediate", now_unix));
  if (X509_self_signed(root->get(), 1) != 1) {
    return CaError(ErrorCode::kDataLoss, "root certificate is not self-signed");
  }
  if (X509_check_issued(root->get(), intermediate->get()) != X509_V_OK ||
      X509_verify(intermediate->get(), X509_get0_pubkey(root->get())) != 1) {
    return CaError(ErrorCode::kDataLoss, "intermediate certificate is not signed by the root");
  }
  if (!IsP256(intermediate_key->get())) {
    return CaError(ErrorCode::kInvalidArgument, "intermediate key is not ecdsa p-256");
  }

  auto state = std::make_shared<State>();
  state->root = std::move(*root);
  state->intermediate = std::move(*intermediate);
  state->intermediate_key = std::move(*intermediate_key);
  auto organization = Organization(state->intermediate.get());
  if (!organization) {
    return tl::unexpected(organization.error());
  }
  state->organization = std::move(*organization);
  auto root_pem = CertificatePem(state->root.get());
  auto intermediate_pem = CertificatePem(state->intermediate.get());
  if (!root_pem || !intermediate_pem) {
    return tl::unexpected(Annotate(root_pem ? intermediate_pem.error() : root_pem.error(), "ca"));
  }
  state->root_pem = std::move(*root_pem);
  state->chain_pem = *intermediate_pem + state->root_pem;
  state->root_fingerprint = Sha256Fingerprint(state->root.get());
  state->intermediate_not_before = UnixTime(X509_get0_notBefore(state->intermediate.get()));
  state->intermediate_not_after = UnixTime(X509_get0_notAfter(state->intermediate.get()));
  VIGIL_RETURN_IF_ERROR(PrepareExtensions(*state));
  VIGIL_RETURN_IF_ERROR(WarmUpSigning(state->intermediate_key.get()));
  // Fill OpenSSL's lazily computed caches now, while no other thread can see the objects.
  X509_check_purpose(state->root.get(), -1, 0);
  X509_check_purpose(state->intermediate.get(), -1, 0);
  ClearOpenSslErrors();
  return DeviceCa(std::move(state));
}

const std::string& DeviceCa::root_pem() const { return state_->root_pem; }

const std::string& DeviceCa::chain_pem() const { return state_->chain_pem; }

std::string DeviceCa::root_fingerprint_sha256() const { return state_->root_fingerprint; }

std::int64_t DeviceCa::intermediate_not_after_unix() const {
  return state_->intermediate_not_after;
}

}  // namespace vigil::pki
