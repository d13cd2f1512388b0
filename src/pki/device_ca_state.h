#pragma once

// Internal to pki: what a loaded DeviceCa keeps, parsed once, shared read-only by every copy
// and thread. Nothing here is modified after Load returns.

#include <cstdint>
#include <string>

#include "pki/device_ca.h"
#include "pki/openssl_error.h"

namespace vigil::pki {

struct DeviceCa::State {
  OpenSslPtr<X509> root;
  OpenSslPtr<X509> intermediate;
  OpenSslPtr<EVP_PKEY> intermediate_key;
  std::string organization;  // O= of the intermediate, copied into each leaf.
  std::string root_pem;
  std::string chain_pem;
  std::string root_fingerprint;
  std::int64_t intermediate_not_before = 0;
  std::int64_t intermediate_not_after = 0;
  // Extensions every leaf (or CRL) carries, encoded once: each is copied into the new object.
  OpenSslPtr<X509_EXTENSION> leaf_basic_constraints;  // critical, CA:FALSE
  OpenSslPtr<X509_EXTENSION> leaf_key_usage;          // critical, digitalSignature
  OpenSslPtr<X509_EXTENSION> client_auth;             // EKU clientAuth
  OpenSslPtr<X509_EXTENSION> server_auth;             // EKU serverAuth
  OpenSslPtr<X509_EXTENSION> authority_key_id;        // keyid of the intermediate
};

}  // namespace vigil::pki
