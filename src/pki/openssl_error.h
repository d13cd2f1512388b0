#pragma once

// Internal to pki: owning handles for OpenSSL objects and the conversion of OpenSSL's
// thread-local error queue into an Error.
//
// Every failure path in this module ends by calling PkiOpenSslError (or ClearOpenSslErrors),
// which empties the queue, so a stale entry cannot mislead the next OpenSSL user on the thread
// (SSL_get_error reads the queue).
//
// Thread safety: the error queue is per thread; these functions touch only the caller's.

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string_view>

#include "core/result.h"

namespace vigil::pki {

struct OpenSslFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_NAME* p) const { X509_NAME_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
  void operator()(ASN1_INTEGER* p) const { ASN1_INTEGER_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(X509_REQ* p) const { X509_REQ_free(p); }
  void operator()(X509_CRL* p) const { X509_CRL_free(p); }
  void operator()(X509_REVOKED* p) const { X509_REVOKED_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
  void operator()(AUTHORITY_KEYID* p) const { AUTHORITY_KEYID_free(p); }
};

template <typename T>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree>;

// An Error with `code` and message "`what`: <first OpenSSL reason>" (or just `what` when the
// queue is empty). Empties the queue.
Error PkiOpenSslError(ErrorCode code, std::string_view what);

// Discards queued OpenSSL errors after a failure that is an expected outcome.
void ClearOpenSslErrors();

}  // namespace vigil::pki
