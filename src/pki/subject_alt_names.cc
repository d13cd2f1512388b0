#include "pki/subject_alt_names.h"

#include <algorithm>
#include <cstdint>

#include "core/net_address.h"

namespace vigil::pki {
namespace {

bool PushName(GENERAL_NAMES* names, int type, const void* data, std::size_t size) {
  GENERAL_NAME* name = GENERAL_NAME_new();
  ASN1_STRING* value =
      ASN1_STRING_type_new(type == GEN_IPADD ? V_ASN1_OCTET_STRING : V_ASN1_IA5STRING);
  if (name == nullptr || value == nullptr ||
      ASN1_STRING_set(value, data, static_cast<int>(size)) != 1) {
    GENERAL_NAME_free(name);
    ASN1_STRING_free(value);
    return false;
  }
  GENERAL_NAME_set0_value(name, type, value);
  if (sk_GENERAL_NAME_push(names, name) <= 0) {
    GENERAL_NAME_free(name);
    return false;
  }
  return true;
}

}  // namespace

bool IsDeviceId(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool IsValidDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253) {
    return false;
  }
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '*';
    if (!ok) {
      return false;
    }
  }
  return true;
}

Result<OpenSslPtr<GENERAL_NAMES>> MakeSubjectAltNames(std::span<const std::string> dns_names,
                                                      std::span<const std::string> ip_addresses) {
  OpenSslPtr<GENERAL_NAMES> names(sk_GENERAL_NAME_new_null());
  if (!names) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "subjectaltname"));
  }
  for (const std::string& dns : dns_names) {
    if (!IsValidDnsName(dns)) {
      return MakeError(ErrorCode::kInvalidArgument, "invalid dns name \"" + dns + "\"");
    }
    if (!PushName(names.get(), GEN_DNS, dns.data(), dns.size())) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "subjectaltname"));
    }
  }
  for (const std::string& text : ip_addresses) {
    const auto ip = IpAddress::Parse(text);
    if (!ip) {
      return tl::unexpected(Annotate(ip.error(), "ip address \"" + text + "\""));
    }
    if (!PushName(names.get(), GEN_IPADD, ip->bytes().data(), ip->bytes().size())) {
      return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "subjectaltname"));
    }
  }
  return names;
}

Status AddUriName(GENERAL_NAMES* names, std::string_view uri) {
  if (!PushName(names, GEN_URI, uri.data(), uri.size())) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "subjectaltname"));
  }
  return OkStatus();
}

std::string FindUriName(const X509* cert, std::string_view prefix) {
  OpenSslPtr<GENERAL_NAMES> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) {
    ClearOpenSslErrors();
    return {};
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_URI) {
      continue;
    }
    const std::string_view uri(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.uniformResourceIdentifier)),
        static_cast<std::size_t>(ASN1_STRING_length(name->d.uniformResourceIdentifier)));
    if (uri.starts_with(prefix)) {
      return std::string(uri.substr(prefix.size()));
    }
  }
  return {};
}

}  // namespace vigil::pki
